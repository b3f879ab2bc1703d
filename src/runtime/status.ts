/**
 * The course rules as pure functions: what counts as done, and which status each standard reports.
 * Kept free of DOM and LMS so they are unit-tested on their own.
 */
// A course.js made before `reporting` existed has none: the defaults (passed/failed, any-attempt, suspend).
import type { ReportingRule, RuntimeCourse } from '../model.ts';
import type { LearnerState } from './state.ts';

export interface Outcome {
  /** Share of the completion units done: counted pages visited + required responses written. */
  measure: number;
  completed: boolean;
  /** Best percent score of the scoring quiz; null until it has been attempted. */
  score: number | null;
  /** Best score vs the course mastery; null when there is no scoring rule or no attempt yet. */
  passed: boolean | null;
}

/** True when the response holds text here or on another device (see LearnerState.textsOnDevice). */
export const hasText = (state: LearnerState, id: string): boolean =>
  !!(state.texts[id] || '').trim() || state.textsOnDevice.includes(id);

export function countedPages(course: RuntimeCourse): string[] {
  return course.pages.filter((p) => course.completion.pages === 'all' || p.required).map((p) => p.id);
}

export function courseOutcome(course: RuntimeCourse, state: LearnerState): Outcome {
  const pages = countedPages(course);
  const responses = course.completion.responses;
  const done =
    pages.filter((id) => state.visited.includes(id)).length + responses.filter((id) => hasText(state, id)).length;
  const total = pages.length + responses.length;
  const quiz = course.scoring && state.quizzes[course.scoring.quiz];
  const score = quiz && quiz.attempts > 0 && quiz.best !== null ? quiz.best : null;
  const passed = score === null || !course.scoring ? null : score / 100 >= course.scoring.mastery - 1e-9;
  // `failed: last-attempt`: a failure is not judged while the learner may try again.
  const judged = passed !== false || course.reporting?.failed !== 'last-attempt' || outOfAttempts(course, state);
  return {
    // Never 1 while something is missing, so an LMS that derives completion from the measure agrees.
    measure: total ? done / total : 1,
    completed: done === total,
    score,
    // A hair of tolerance: 80 / 100 must pass a mastery of 0.8 despite floating point.
    passed: judged ? passed : null,
  };
}

/** The scoring quiz allows no further attempt (never with unlimited attempts). */
function outOfAttempts(course: RuntimeCourse, state: LearnerState): boolean {
  const page = course.pages.find((p) => p.id === course.scoring?.quiz);
  const allowed = page?.quiz?.attempts ?? 0;
  return allowed > 0 && (state.quizzes[page!.id]?.attempts ?? 0) >= allowed;
}

/** Nothing is left to do: completed, and the scoring quiz (if any) passed or out of attempts. */
export function isFinished(course: RuntimeCourse, state: LearnerState): boolean {
  const { completed, passed } = courseOutcome(course, state);
  return completed && (!course.scoring || passed === true || outOfAttempts(course, state));
}

export type LessonStatus12 = 'passed' | 'completed' | 'failed' | 'incomplete';

/**
 * SCORM 1.2 `cmi.core.lesson_status`, which mixes completion and success in one value:
 * - not completed → incomplete (a passed exam alone does not complete the course);
 * - completed, no scoring rule → completed;
 * - completed, scoring rule, exam not attempted → incomplete: the course asks for the exam, and
 *   `completed` would let an LMS close the attempt with no score ("incomplete, no score" is right);
 * - completed and exam attempted → passed or failed by the best attempt vs mastery.
 * It never moves down from what the LMS already holds (a republished course with a new page must
 * not undo a learner's completion; `passed` is final). `pair` (course.yml `reporting`) names the
 * words for passed / not passed: `passed/failed` by default, `incomplete` instead of `failed` for
 * LMSs that close an attempt on `failed`, `completed` instead of `passed` for those that grade it.
 */
export function lessonStatus12(
  completed: boolean,
  hasScoring: boolean,
  passed: boolean | null,
  previous = '',
  pair: ReportingRule['scorm12'] = 'passed/failed',
): LessonStatus12 {
  const [pass, fail] = pair.split('/') as LessonStatus12[];
  const next: LessonStatus12 = !completed
    ? 'incomplete'
    : !hasScoring
      ? 'completed'
      : passed === null
        ? 'incomplete'
        : passed
          ? pass
          : fail;
  if (previous === 'passed') return 'passed';
  if (next === 'incomplete' && (previous === 'completed' || previous === 'failed')) return previous;
  return next;
}

/** SCORM 2004 `cmi.completion_status`: the course rule alone, never back from completed. */
export const completion2004 = (completed: boolean, previous = ''): 'completed' | 'incomplete' =>
  completed || previous === 'completed' ? 'completed' : 'incomplete';

/** SCORM 2004 `cmi.success_status`: the scoring quiz vs mastery, independent of completion. */
export const success2004 = (passed: boolean | null, previous = ''): 'passed' | 'failed' | 'unknown' =>
  previous === 'passed' || passed === true ? 'passed' : passed === false ? 'failed' : 'unknown';
