/**
 * The learner of the sample course, the same for every standard: walks with Next, answers the
 * lesson's knowledge checks (rightly) and polls, types the workbook, takes the quiz (failed, then
 * passed), answers the feedback page. Answers come from the compiled model; everything given is
 * recorded (`given`, `texts`, `leftWith`) so a test can check what the LMS or LRS holds against it.
 */
import type { Frame } from 'playwright-core';
import { expect } from 'vitest';
import type { CompiledCourse, Interaction, Question } from '../../../src/model.ts';
import {
  answer, answerQuiz, correctAnswer, explanationShown, interactionsOf, isPoll, isQuestion, next, pageById, press, quizButton, submitQuiz,
  typeResponse, wrongAnswer,
} from './learner.ts';

/** One answer the learner gave, in order. */
export interface Given {
  id: string;
  /** Choice ids, or the text. */
  values: string[];
  how: 'check' | 'poll' | 'quiz-1' | 'quiz-2' | 'exam-1' | 'exam-2' | 'response';
}

/** What the learner did, as the checks of an LMS's or LRS's data take it. */
export interface Answers {
  given: Given[];
  /** Texts each response held when the learner left its field. */
  leftWith: Record<string, string[]>;
  /** The text each response holds at the end. */
  texts: Record<string, string>;
}

export const LESSON = 'lesson-one';
export const WORKBOOK = 'plan';
export const QUIZ = 'final-quiz';

/** What the learner types (one line each: free text reports in SCORM are single-line). */
export const TEXTS = {
  summary: 'Grow repeat orders by 15% with AI product recommendations, piloted on one category first.',
  risks: 'Data quality and team skills.',
  /** Typed into the second response right before the course is closed, without leaving the field. */
  risksAddition: ' Also vendor lock-in.',
  comment: 'Clear and practical, thank you.',
};

export class Learner implements Answers {
  given: Given[] = [];
  leftWith: Record<string, string[]> = {};
  texts: Record<string, string> = {};
  /** Pages shown, in order, in sessions that record (the first page of each launch included). */
  shown: string[] = [];
  constructor(readonly compiled: CompiledCourse) {}

  its(pageId: string): Interaction[] {
    return interactionsOf(this.compiled, pageById(this.compiled, pageId));
  }

  /** A poll choice from the model: the second for single/multiple, the last point of a scale. */
  pollChoice(id: string): string[] {
    const p = this.compiled.interactions.get(id);
    if (!isPoll(p)) throw new Error(`${id} is not a poll`);
    return [p.type === 'likert' ? p.choices[p.choices.length - 1].id : p.choices[Math.min(1, p.choices.length - 1)].id];
  }

  /** Answers a knowledge check rightly and checks it; returns the verdict. */
  async checkRight(frame: Frame, q: Interaction): Promise<string> {
    if (!isQuestion(q)) throw new Error(`${q.id} is not a question`);
    await answer(frame, q, correctAnswer(q));
    const shown = await press(frame, q.id, 'check');
    this.given.push({ id: q.id, values: correctAnswer(q), how: 'check' });
    return shown;
  }

  /** Submits a poll with the choice `pollChoice` picks; returns the confirmation. */
  async submitPoll(frame: Frame, p: Interaction): Promise<string> {
    const values = this.pollChoice(p.id);
    await answer(frame, p, values);
    const shown = await press(frame, p.id, 'submit-poll');
    this.given.push({ id: p.id, values, how: 'poll' });
    return shown;
  }

  /** Next until `id` is shown; fails the test when another page comes up. */
  async nextTo(frame: Frame, id: string): Promise<void> {
    const pages = this.compiled.course.pages;
    for (let guard = 0; guard < pages.length; guard++) {
      const shown = await next(frame);
      if (shown.id) this.shown.push(shown.id);
      if (shown.id === id) return;
      const at = pages.findIndex((p) => p.id === shown.id);
      expect(at, `Next showed ${shown.id}, on the way to ${id}`).toBeLessThan(pages.findIndex((p) => p.id === id));
    }
    throw new Error(`never reached ${id}`);
  }

  /** The lesson's knowledge checks (right answers, verdict and feedback shown), then its polls. */
  async lesson(frame: Frame): Promise<void> {
    const its = this.its(LESSON);
    for (const q of its.filter(isQuestion)) {
      expect(await this.checkRight(frame, q), `verdict of ${q.id}`).not.toBe('');
      expect(await explanationShown(frame, q.id), `feedback of ${q.id} is shown after checking`).toBe(true);
    }
    for (const p of its.filter(isPoll)) expect(await this.submitPoll(frame, p), `confirmation of poll ${p.id}`).not.toBe('');
  }

  /** Next to the lesson, then its checks and polls. */
  async lessonPage(frame: Frame): Promise<void> {
    await this.nextTo(frame, LESSON);
    await this.lesson(frame);
  }

  /** Next to the workbook, then both responses. */
  async workbookPage(frame: Frame): Promise<void> {
    await this.nextTo(frame, WORKBOOK);
    await this.workbook(frame);
  }

  /** Types both workbook responses, then more into the second without leaving the field. */
  async workbook(frame: Frame): Promise<void> {
    const [summary, risks] = this.its(WORKBOOK);
    await typeResponse(frame, summary.id, TEXTS.summary);
    await typeResponse(frame, risks.id, TEXTS.risks);
    this.leftWith[summary.id] = [TEXTS.summary];
    this.leftWith[risks.id] = [TEXTS.risks];
    await typeResponse(frame, risks.id, TEXTS.risks + TEXTS.risksAddition, false);
    this.texts[summary.id] = TEXTS.summary;
    this.texts[risks.id] = TEXTS.risks + TEXTS.risksAddition;
  }

  /** One quiz attempt: every shown question answered with `pick`, submitted; returns the result text. */
  async quiz(frame: Frame, how: 'quiz-1' | 'quiz-2', pick: (q: Question) => string[]): Promise<string> {
    const given = await answerQuiz(frame, this.compiled, pick);
    const result = await submitQuiz(frame);
    for (const [id, values] of given) this.given.push({ id, values, how });
    return result;
  }

  failQuiz(frame: Frame) {
    return this.quiz(frame, 'quiz-1', wrongAnswer);
  }

  /** "Try again" when offered, then every question right. */
  async passQuiz(frame: Frame): Promise<string> {
    await this.retryQuiz(frame);
    return this.quiz(frame, 'quiz-2', (q) => correctAnswer(q));
  }

  async retryQuiz(frame: Frame): Promise<void> {
    if (!(await quizButton(frame, 'retry-quiz').isVisible())) return;
    await quizButton(frame, 'retry-quiz').click();
    await quizButton(frame, 'submit-quiz').waitFor({ state: 'visible' });
  }

  /** The last page: its poll and its comment. */
  async feedback(frame: Frame): Promise<void> {
    const last = this.compiled.course.pages[this.compiled.course.pages.length - 1];
    for (const it of this.its(last.id)) {
      if (isPoll(it)) expect(await this.submitPoll(frame, it), `confirmation of poll ${it.id}`).not.toBe('');
      else if (it.kind === 'response') {
        await typeResponse(frame, it.id, TEXTS.comment);
        this.texts[it.id] = TEXTS.comment;
        this.leftWith[it.id] = [TEXTS.comment];
      }
    }
  }
}

/** Every answer, free-text responses included (with their final text). */
export function allAnswers(a: Answers): Given[] {
  return [...a.given, ...Object.entries(a.texts).map(([id, text]) => ({ id, values: [text], how: 'response' as const }))];
}
