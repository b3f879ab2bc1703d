/**
 * A quiz page: shows the attempt's questions in its order, locks them once submitted, and shows
 * the result, the attempts left and "Try again". The session marks and keeps the attempts.
 */
import type { RuntimePage } from '../../model.ts';
import { readAnswer, writeAnswer } from '../interactions.ts';
import { attemptsLeft } from '../quiz.ts';
import { canRetry } from '../session/quiz-attempts.ts';
import type { Session } from '../session/session.ts';
import type { QuizState } from '../state.ts';
import type { Strings } from '../strings.ts';
import { $, sectionById } from './dom.ts';
import type { Questions } from './questions.ts';

export interface QuizView {
  /** Arranges a freshly mounted quiz page for the current attempt. */
  setup(page: RuntimePage): void;
  submit(page: RuntimePage): void;
  retry(page: RuntimePage): void;
}

export function createQuizView(article: HTMLElement, session: Session, questions: Questions, t: Strings): QuizView {
  /** The result line of a submitted attempt. */
  function resultText(page: RuntimePage, quiz: QuizState): string {
    const settings = page.quiz!;
    const left = attemptsLeft(settings, quiz.attempts);
    const score = quiz.last ?? 0;
    const scored = t(score >= settings.passMark ? 'quizPassed' : 'quizFailed', { score, pass: settings.passMark });
    if (left === Infinity) return scored;
    return scored + ' ' + (left ? t('attemptsLeft', { n: left }) : t('noAttemptsLeft', { best: quiz.best ?? 0 }));
  }

  function render(page: RuntimePage, quiz: QuizState): void {
    for (const id of quiz.order) {
      const section = sectionById(article, id);
      if (!section) continue;
      section.querySelectorAll('input').forEach((input) => (input.disabled = quiz.submitted));
      questions.showFeedback(section, quiz.submitted ? session.state.answers[id] || [] : null);
    }
    const submit = $<HTMLButtonElement>('[data-action="submit-quiz"]', article);
    const retry = $<HTMLButtonElement>('[data-action="retry-quiz"]', article);
    if (submit) submit.hidden = quiz.submitted;
    if (retry) retry.hidden = !canRetry(page, quiz);
    const result = $('.cp-quiz-result', article);
    if (result) result.textContent = quiz.submitted ? resultText(page, quiz) : '';
  }

  /** Shows the attempt's questions in its order; the others stay in the page, hidden. */
  function setup(page: RuntimePage): void {
    const quiz = session.quiz(page);
    const sections = Array.from(article.querySelectorAll<HTMLElement>('.cp-question'));
    const ids = sections.map((s) => s.dataset.interaction || '');
    const sequence = quiz.order.filter((id) => ids.includes(id)).concat(ids.filter((id) => !quiz.order.includes(id)));
    const slots = sections.map((s) => {
      const slot = document.createComment('');
      s.replaceWith(slot);
      return slot;
    });
    slots.forEach((slot, i) => {
      const section = sections[ids.indexOf(sequence[i])];
      section.hidden = !quiz.order.includes(sequence[i]);
      slot.replaceWith(section);
    });
    render(page, quiz);
  }

  return {
    setup,
    submit(page) {
      if (!page.quiz) return;
      const given = session.quiz(page).order.map((id) => {
        const section = sectionById(article, id);
        return section ? readAnswer(section) : [];
      });
      const outcome = session.submitQuiz(page, given);
      const result = $<HTMLElement>('.cp-quiz-result', article);
      if (outcome.status === 'incomplete' && result) result.textContent = t('unanswered', { n: outcome.missing });
      if (outcome.status !== 'submitted') return;
      render(page, outcome.quiz);
      // The submit button just disappeared: keep focus where the result is announced.
      if (result) {
        result.tabIndex = -1;
        result.focus();
      }
    },
    retry(page) {
      if (!session.retryQuiz(page)) return;
      for (const id of page.interactionIds) {
        const section = sectionById(article, id);
        if (section) writeAnswer(section, []);
      }
      setup(page);
      $<HTMLElement>('.cp-question:not([hidden]) input', article)?.focus();
    },
  };
}
