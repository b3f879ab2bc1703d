/**
 * What the LRS must hold after the main run of either xAPI standard: valid statements, the
 * launch's actor and registration, one answered statement per answer, one experienced per page
 * shown, nothing the page sent missing, and a page that loaded all it asked for.
 */
import { expect, it } from 'vitest';
import { formatInvalid, validateStatements, type Statement } from '../support/lrs/index.ts';
import { pageById } from '../support/browser/index.ts';
import { ACTOR, VERB, answeredProblems, envelopeProblems, experiencedProblems, generatedIds, listing, matchAnswered, outOfOrder, verbName, type Env } from './run.ts';
import type { Answers } from '../support/browser/index.ts';

export interface Holdings {
  env: Env;
  registration: string;
  learner: Answers & { shown: string[] };
  /** Every statement of the registration, and those the course made. */
  all: Statement[];
  au: Statement[];
  inCourse: (id: string) => boolean;
}

export function sharedHoldings(kind: 'xapi' | 'cmi5', get: () => Holdings, shownIn = ''): void {
  it('every statement is valid xAPI (xapi-validation); the LMS saw no protocol problem', () => {
    const { env, all } = get();
    expect(formatInvalid(validateStatements(all))).toBe('');
    expect(env.lms.problems).toEqual([]);
    expect(env.attempts.filter((a) => !a.compact).map((a) => `#${a.seq} ${a.method}`), 'statement bodies sent as compact JSON').toEqual([]);
  });

  it('actor and registration of the launch, unique ids, UTC timestamps; stored in the order made; nothing sent is missing', () => {
    const { env, all, au, registration } = get();
    expect(envelopeProblems(all, ACTOR, registration, kind)).toEqual([]);
    expect(outOfOrder(au), listing(au)).toEqual([]);
    const stored = new Set(all.map((s) => s.id));
    const missing = generatedIds(env, registration).filter((id) => !stored.has(id));
    expect(missing, 'statements the page sent that the LRS does not hold').toEqual([]);
  });

  it('one answered statement per answer, with the interaction definition, the response and the result', () => {
    const { env, au, learner, inCourse } = get();
    expect(answeredProblems(env.compiled, au, learner, kind, inCourse)).toEqual([]);
  });

  it(`one experienced statement per page shown${shownIn}, in order, naming the page`, () => {
    const { env, au, learner, inCourse } = get();
    expect(experiencedProblems(env.compiled, au, learner.shown, kind, inCourse)).toEqual([]);
  });

  it('the course loads every file it asks for, reaches for no network and throws no errors', () => {
    const { env } = get();
    expect(env.server.notFound, 'requests answered 404').toEqual([]);
    expect(env.browser.blocked, 'requests that left 127.0.0.1').toEqual([]);
    const problems = env.browser.problems.filter((p) => p.kind === 'exception' || /Refused to|Content Security Policy/i.test(p.text));
    expect(problems.map((p) => `${p.kind} in ${p.url}: ${p.text}`)).toEqual([]);
  });
}

/**
 * A quiz failed (score `firstRaw` of 100) and then passed (100), judged about `objectId`: each
 * attempt's answers stored before its verdict, the second's after the first verdict.
 */
export function expectFailedThenPassed(env: Env, all: Statement[], quizId: string, firstRaw: number, objectId: string): void {
  const judged = all.filter((s) => s.verb.id === VERB('passed') || s.verb.id === VERB('failed'));
  expect(judged.map(verbName), listing(all)).toEqual(['failed', 'passed']);
  const [failed, passed] = judged;
  for (const s of judged) expect.soft(s.object.id, `${verbName(s)} object`).toBe(objectId);
  expect.soft(failed.result?.success).toBe(false);
  expect.soft(failed.result?.score).toMatchObject({ scaled: firstRaw / 100, raw: firstRaw, min: 0, max: 100 });
  expect.soft(failed.result!.score!.scaled).toBeLessThan(env.compiled.course.scoring!.mastery);
  expect.soft(passed.result?.success).toBe(true);
  expect.soft(passed.result?.score).toMatchObject({ scaled: 1, raw: 100, min: 0, max: 100 });
  // Each attempt's answers come before its verdict.
  const { byInteraction } = matchAnswered(env.compiled, all);
  const pool = pageById(env.compiled, quizId).interactionIds;
  const first = pool.map((id) => all.indexOf(byInteraction.get(id)?.[0] as Statement));
  const second = pool.map((id) => all.indexOf(byInteraction.get(id)?.[1] as Statement));
  expect.soft(Math.min(...first), 'every answer of the failed attempt stored').toBeGreaterThanOrEqual(0);
  expect.soft(Math.max(...first), 'answers of the failed attempt stored before failed').toBeLessThan(all.indexOf(failed));
  expect.soft(Math.min(...second), 'answers of the passing attempt stored after failed').toBeGreaterThan(all.indexOf(failed));
  expect.soft(Math.max(...second), 'answers of the passing attempt stored before passed').toBeLessThan(all.indexOf(passed));
}
