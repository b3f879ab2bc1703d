/** Quiz rules: which questions an attempt shows, and its score. */
import type { QuizSettings } from '../model.ts';

/**
 * The question ids of a new attempt: `draw` of them (all when null or too many), in authored order
 * unless the quiz shuffles.
 */
export function drawQuestions(pool: string[], quiz: QuizSettings, random: () => number = Math.random): string[] {
  const bag = pool.slice();
  for (let i = bag.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [bag[i], bag[j]] = [bag[j], bag[i]];
  }
  const picked = bag.slice(0, quiz.draw && quiz.draw < pool.length ? quiz.draw : pool.length);
  return quiz.shuffle ? picked : pool.filter((id) => picked.includes(id));
}

/** Percent of the shown questions answered correctly, to two decimals. */
export const percent = (correct: number, total: number): number =>
  total ? Math.round((correct / total) * 10000) / 100 : 0;

/** Attempts left; Infinity when unlimited. */
export const attemptsLeft = (quiz: QuizSettings, used: number): number =>
  quiz.attempts > 0 ? Math.max(quiz.attempts - used, 0) : Infinity;
