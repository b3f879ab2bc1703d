/** Statement building: every statement valid for Learning Locker's validator, ids and patterns as documented. */
import { describe, expect, it } from 'vitest';
import validation from 'xapi-validation';
import {
  activity,
  activityIds,
  answeredResult,
  buildStatement,
  CMI5,
  courseDefinition,
  interactionDefinition,
  mergeContext,
  moduleActivity,
  pageActivity,
  responsePattern,
  score,
  type Statement,
} from '../../src/runtime/xapi/statements.ts';
import { makeCourse, records } from './fixtures.ts';

/** Learning Locker's statement validator (a CommonJS module: its function is `default` under Node's ESM). */
const validate: (s: unknown) => { name: string; path: string[] }[] = (validation as any).default ?? validation;

const course = makeCourse();
const ids = activityIds(course.id);
const actor = { objectType: 'Agent' as const, account: { homePage: 'https://lms.example.com', name: 'u42' }, name: 'Jo' };
const REG = 'ec531277-b57b-4c15-8d91-d292c5b2b8f7';

/** The validator's warnings, readable: `NoIfiWarning at statement.actor`. */
const problems = (s: unknown): string[] => validate(s).map((w: any) => `${w.name} at ${w.path.join('.')}`);

const root = activity(course.id, courseDefinition(course));
const build = (verb: any, object = root, extra: Partial<Parameters<typeof buildStatement>[2]> = {}): Statement =>
  buildStatement(actor, undefined, { verb, object, context: { registration: REG, platform: 'coursepack', language: 'en' }, at: Date.UTC(2024, 4, 1), ...extra });

describe('activity ids', () => {
  it('are stable IRIs under the course IRI', () => {
    expect(ids.page('lesson-1')).toBe('https://courses.example.com/test-course/pages/lesson-1');
    expect(ids.module('m1')).toBe('https://courses.example.com/test-course/modules/m1');
    expect(ids.interaction('wb niche.1')).toBe('https://courses.example.com/test-course/interactions/wb%20niche.1');
    expect(activityIds('https://x.example/c/').page('p')).toBe('https://x.example/c/pages/p');
  });

  it('type pages, modules and the course with ADL activity types', () => {
    expect(pageActivity(course, ids, 'final-exam').definition).toEqual({ type: 'http://adlnet.gov/expapi/activities/assessment', name: { en: 'Title of final-exam' } });
    expect(pageActivity(course, ids, 'lesson-1').definition?.type).toBe('http://adlnet.gov/expapi/activities/lesson');
    expect(moduleActivity(course, ids, 'm1').definition).toEqual({ type: 'http://adlnet.gov/expapi/activities/module', name: { en: 'Module 1' } });
    expect(root.definition).toEqual({ type: 'http://adlnet.gov/expapi/activities/course', name: { en: 'Test course' } });
  });
});

describe('statements', () => {
  it('course-level statements are valid, with a UUID id, timestamp and context', () => {
    for (const verb of ['initialized', 'resumed', 'completed', 'suspended', 'terminated']) {
      const s = build(verb, root, { result: { duration: 'PT1M2.5S', ...(verb === 'completed' ? { completion: true } : {}) } });
      expect(problems(s), verb).toEqual([]);
      expect(s.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(s.verb).toEqual({ id: `http://adlnet.gov/expapi/verbs/${verb}`, display: { 'en-US': verb } });
      expect(s.context).toEqual({ registration: REG, platform: 'coursepack', language: 'en' });
      expect(s.timestamp).toBe('2024-05-01T00:00:00.000Z');
    }
  });

  it('passed and failed carry a score with scaled, raw, min and max', () => {
    const passed = build('passed', root, { result: { score: score(85, 0, 100), success: true, duration: 'PT10S' } });
    expect(problems(passed)).toEqual([]);
    expect(passed.result?.score).toEqual({ scaled: 0.85, raw: 85, min: 0, max: 100 });
    expect(problems(build('failed', root, { result: { score: score(66.67, 0, 100), success: false } }))).toEqual([]);
    // cmi5 wants an integer raw: a fractional one is left to scaled.
    expect(score(66.67, 0, 100, true)).toEqual({ scaled: 0.6667, min: 0, max: 100 });
  });

  it('answered: a full interaction definition and result for every kind the player records', () => {
    for (const r of records) {
      const it = course.interactions[r.id];
      const s = build('answered', activity(ids.interaction(r.id), interactionDefinition(it, r, 'en')), {
        result: answeredResult(r, 'en'),
        context: { registration: REG, contextActivities: { parent: [pageActivity(course, ids, r.pageId)], grouping: [activity(course.id)] } },
      });
      expect(problems(s), r.id).toEqual([]);
      expect(s.object.definition).toMatchObject({ type: 'http://adlnet.gov/expapi/activities/cmi.interaction', interactionType: r.type });
      expect(s.result?.duration).toBe('PT4.5S');
    }
  });

  it('formats choices, true-false, fill-in, likert and free text as xAPI patterns', () => {
    const def = (id: string) => interactionDefinition(course.interactions[id], records.find((r) => r.id === id)!, 'en');
    expect(def('ex-multi')).toEqual({
      type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
      name: { en: 'Prompt' }, // the record's prompt (the fixture records all say "Prompt")
      description: { en: 'Prompt' },
      interactionType: 'choice',
      correctResponsesPattern: ['a[,]c'],
      choices: ['A', 'B', 'C', 'D'].map((t, i) => ({ id: 'abcd'[i], description: { en: t } })),
    });
    expect(answeredResult(records[1], 'en')).toEqual({ response: 'a[,]d', success: false, duration: 'PT4.5S' });
    expect(def('ex-tf').correctResponsesPattern).toEqual(['true']);
    expect(def('ex-tf').choices).toBeUndefined();
    expect(def('ex-fill').correctResponsesPattern).toEqual(['STRIVE', 'strive framework']);
    expect(def('poll-rate').scale).toHaveLength(5);
    expect(def('poll-rate').correctResponsesPattern).toBeUndefined(); // a poll: any answer is right
    expect(answeredResult(records[4], 'en').success).toBeUndefined();
    expect(responsePattern('fill-in', ['a[,]b'], 'en')).toBe('a[ ,]b');
    expect(responsePattern('long-fill-in', ['{x} y'], 'en')).toBe('{lang=en}{x} y');
    const text = answeredResult(records[6], 'en').response!;
    expect(text.startsWith('{lang=en}{Line one}\nLine two')).toBe(true); // whole, never cut
  });
});

describe('cmi5 context template', () => {
  const template = {
    registration: REG,
    contextActivities: { grouping: [{ objectType: 'Activity', id: 'https://courses.example.com/test-course/au' }] },
    extensions: { [CMI5.sessionId]: 'session-1' },
  } as any;

  it('keeps everything the template gives and adds ours after it', () => {
    const ctx = mergeContext(template, {
      registration: 'ffffffff-ffff-4fff-bfff-ffffffffffff',
      contextActivities: { grouping: [activity(course.id)], category: [activity(CMI5.category)] },
      extensions: { [CMI5.sessionId]: 'ours', [CMI5.masteryScore]: 0.8 },
      language: 'en',
    });
    expect(ctx.registration).toBe(REG);
    expect(ctx.contextActivities?.grouping?.map((a) => a.id)).toEqual(['https://courses.example.com/test-course/au', course.id]);
    expect(ctx.contextActivities?.category?.map((a) => a.id)).toEqual([CMI5.category]);
    expect(ctx.extensions).toEqual({ [CMI5.sessionId]: 'session-1', [CMI5.masteryScore]: 0.8 });
    expect(template.contextActivities.grouping).toHaveLength(1); // the template itself is untouched
  });

  it('accepts a single activity where xAPI allows one instead of an array', () => {
    const ctx = mergeContext({ contextActivities: { grouping: { id: 'https://p/au' } } } as any, { contextActivities: { parent: [activity('https://x/p')] } });
    expect(ctx.contextActivities).toEqual({ parent: [activity('https://x/p')], grouping: [{ id: 'https://p/au' }] });
  });
});
