import { describe, expect, it } from 'vitest';
import { completion2004, courseOutcome, lessonStatus12, success2004 } from '../../src/runtime/status.ts';
import { freshState } from '../../src/runtime/state.ts';
import { makeCourse } from './fixtures.ts';

describe('lessonStatus12 (completed, hasScoring, passed, previous)', () => {
  it.each([
    [false, false, null, '', 'incomplete'],
    [false, true, true, '', 'incomplete'], // a passed exam alone does not complete the course
    [true, false, null, '', 'completed'],
    [true, true, null, '', 'incomplete'], // the exam is part of the course: not attempted → incomplete
    [true, true, true, '', 'passed'],
    [true, true, false, '', 'failed'],
    [true, true, true, 'failed', 'passed'], // a later pass replaces a fail
    [true, true, false, 'passed', 'passed'], // passed is final
    [false, false, null, 'completed', 'completed'], // a republished course with a new page does not undo completion
    [false, true, null, 'failed', 'failed'],
    [true, true, false, 'completed', 'failed'],
    [false, true, null, 'not attempted', 'incomplete'],
  ] as const)('%s %s %s (was %j) → %s', (completed, scoring, passed, previous, expected) => {
    expect(lessonStatus12(completed, scoring, passed, previous)).toBe(expected);
  });
});

describe('SCORM 2004 statuses', () => {
  it('completion follows the course rule and never goes back', () => {
    expect(completion2004(false)).toBe('incomplete');
    expect(completion2004(true)).toBe('completed');
    expect(completion2004(false, 'completed')).toBe('completed');
  });
  it('success follows the quiz only', () => {
    expect(success2004(null)).toBe('unknown');
    expect(success2004(true)).toBe('passed');
    expect(success2004(false)).toBe('failed');
    expect(success2004(false, 'passed')).toBe('passed');
  });
});

describe('courseOutcome', () => {
  const course = makeCourse();
  const visitAll = () => {
    const s = freshState();
    s.visited = course.pages.filter((p) => p.required).map((p) => p.id);
    return s;
  };

  it('counts required pages and required responses; optional pages do not count', () => {
    const s = freshState();
    expect(courseOutcome(course, s)).toEqual({ measure: 0, completed: false, score: null, passed: null });
    s.visited = ['overview', 'optional'];
    expect(courseOutcome(course, s).measure).toBeCloseTo(1 / 6); // 5 required pages + 1 response
  });

  it('is not complete while a required response is empty, even with every page visited', () => {
    const s = visitAll();
    const o = courseOutcome(course, s);
    expect(o.completed).toBe(false);
    expect(o.measure).toBeLessThan(1);
    s.texts['cap-summary'] = '   ';
    expect(courseOutcome(course, s).completed).toBe(false);
    s.texts['cap-summary'] = 'My plan';
    expect(courseOutcome(course, s)).toMatchObject({ measure: 1, completed: true });
  });

  it('counts a response kept on another device as written', () => {
    const s = visitAll();
    s.textsOnDevice = ['cap-summary'];
    expect(courseOutcome(course, s).completed).toBe(true);
  });

  it('with completion.pages = all, optional pages count too', () => {
    const all = makeCourse({ completion: { pages: 'all', responses: [] } });
    const s = visitAll();
    expect(courseOutcome(all, s).completed).toBe(false);
    s.visited.push('optional');
    expect(courseOutcome(all, s).completed).toBe(true);
  });

  it('reports no score before the scoring quiz is attempted, then the best attempt vs mastery', () => {
    const s = visitAll();
    s.quizzes['final-exam'] = { attempts: 0, best: null, last: null, passed: false, order: [], submitted: false };
    expect(courseOutcome(course, s)).toMatchObject({ score: null, passed: null });
    s.quizzes['final-exam'] = { attempts: 1, best: 75, last: 75, passed: false, order: [], submitted: true };
    expect(courseOutcome(course, s)).toMatchObject({ score: 75, passed: false });
    s.quizzes['final-exam'].best = 80;
    expect(courseOutcome(course, s)).toMatchObject({ score: 80, passed: true }); // 80% meets a mastery of 0.8
  });

  it('has no pass/fail without a scoring rule', () => {
    const c = makeCourse({ scoring: null });
    const s = visitAll();
    s.quizzes['final-exam'] = { attempts: 1, best: 100, last: 100, passed: true, order: [], submitted: true };
    expect(courseOutcome(c, s)).toMatchObject({ score: null, passed: null });
  });
});
