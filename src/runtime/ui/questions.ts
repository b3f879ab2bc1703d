/**
 * Knowledge checks, polls, fill-ins and free-text responses in the page: shows their feedback,
 * restores saved answers, and passes what the learner does to the session.
 */
import type { RuntimeCourse, RuntimeInteraction } from '../../model.ts';
import { readAnswer, isCorrect, writeAnswer } from '../interactions.ts';
import type { Session } from '../session/session.ts';
import type { Strings } from '../strings.ts';
import { $, sectionOf } from './dom.ts';

export interface Questions {
  /** Shows (values) or clears (null) the feedback on a question or poll. */
  showFeedback(section: HTMLElement, values: string[] | null): void;
  /** Puts the saved answer or text back into a freshly mounted section. */
  restore(section: HTMLElement): void;
  /** "Check answer" on a knowledge check, "Submit" on a poll. */
  check(section: HTMLElement): void;
  /** An `input` or `change` event in the page. */
  handleEdit(e: Event): void;
}

export function createQuestions(course: RuntimeCourse, session: Session, t: Strings): Questions {
  const interaction = (id: string): RuntimeInteraction | undefined => course.interactions[id];

  function showFeedback(section: HTMLElement, values: string[] | null): void {
    const it = interaction(section.dataset.interaction || '');
    const line = $('.cp-verdict', section);
    const explanation = $('.cp-explanation', section);
    section.classList.remove('cp-correct', 'cp-incorrect');
    let text = '';
    if (values && it?.kind === 'question') {
      const correct = isCorrect(it, values);
      section.classList.add(correct ? 'cp-correct' : 'cp-incorrect');
      text = t(correct ? 'correct' : 'incorrect');
    } else if (values) text = t('pollThanks');
    if (line) line.textContent = text;
    if (explanation) explanation.hidden = !values;
  }

  return {
    showFeedback,
    restore(section) {
      const id = section.dataset.interaction || '';
      const { texts, answers, checked } = session.state;
      const area = $<HTMLTextAreaElement>('textarea', section);
      if (area) {
        area.value = texts[id] || '';
        session.textRestored(id, area.value);
      } else {
        writeAnswer(section, answers[id]);
        if (checked.includes(id)) showFeedback(section, answers[id] || []);
      }
    },
    check(section) {
      const it = interaction(section.dataset.interaction || '');
      if (!it) return;
      const values = readAnswer(section);
      if (!values.length) {
        const line = $('.cp-verdict', section);
        if (line) line.textContent = t('chooseFirst');
        return;
      }
      showFeedback(section, values);
      session.check(it, values);
    },
    handleEdit(e) {
      const el = e.target as HTMLInputElement;
      const found = sectionOf(el);
      if (!found) return;
      const { section, id } = found;
      if (el.tagName === 'TEXTAREA') {
        if (e.type === 'change') return session.textDone(id, el.value); // the learner left the field
        const status = $('.cp-save-status', section);
        if (status) status.textContent = '';
        return session.typeText(id, el.value, () => {
          if (status) status.textContent = t('saved');
        });
      }
      if (e.type !== 'change') return;
      // A changed answer makes the feedback shown for it stale.
      if (session.select(id, readAnswer(section))) showFeedback(section, null);
    },
  };
}
