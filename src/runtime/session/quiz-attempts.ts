/**
 * The quiz engine without the page: which questions an attempt shows, submitting and scoring it,
 * and starting another. Each step returns its change to the learner state.
 */
import type { RuntimeCourse, RuntimePage } from '../../model.ts';
import type { QuizState } from '../state.ts';
import { isCorrect } from '../interactions.ts';
import { attemptsLeft, drawQuestions, percent } from '../quiz.ts';
import { drawQuiz, submitQuiz, type Change } from './learner.ts';

/** The draw of a new attempt when there is none, or when the question pool changed since. */
export function drawIfNeeded(course: RuntimeCourse, page: RuntimePage, quiz: QuizState | undefined): Change | null {
  const pool = page.interactionIds.filter((id) => course.interactions[id]?.kind === 'question');
  if (quiz && quiz.order.length && quiz.order.every((id) => pool.includes(id))) return null;
  return drawQuiz(page.id, drawQuestions(pool, page.quiz!));
}

/** A submission can be made: the attempt is open and attempts are left. */
export const canSubmit = (page: RuntimePage, quiz: QuizState): boolean =>
  !!page.quiz && !quiz.submitted && attemptsLeft(page.quiz, quiz.attempts) > 0;

/** "Try again" is offered: submitted, not passed, attempts left. */
export const canRetry = (page: RuntimePage, quiz: QuizState): boolean =>
  !!page.quiz && quiz.submitted && !quiz.passed && attemptsLeft(page.quiz, quiz.attempts) > 0;

export interface Marked {
  change: Change;
  /** Per shown question: its answer and whether it is correct. */
  marks: { id: string; values: string[]; correct: boolean }[];
}

/** Marks an attempt whose every shown question has an answer (`given` in the attempt's order). */
export function markAttempt(course: RuntimeCourse, page: RuntimePage, quiz: QuizState, given: string[][]): Marked {
  const marks: Marked['marks'] = [];
  const answers: Record<string, string[]> = {};
  quiz.order.forEach((id, i) => {
    const it = course.interactions[id];
    if (it?.kind !== 'question') return;
    answers[id] = given[i];
    marks.push({ id, values: given[i], correct: isCorrect(it, given[i]) });
  });
  const score = percent(marks.filter((m) => m.correct).length, quiz.order.length);
  return { change: submitQuiz(page.id, answers, score, page.quiz!.passMark), marks };
}
