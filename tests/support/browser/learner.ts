/**
 * A simulated learner for the course player (docs/runtime.md): moves between pages with the
 * player's own buttons, answers questions and polls, types responses, takes quizzes. Answers come
 * from the compiled course model, never from the page, so a test knows what is right on its own.
 *
 * The functions wait for the player to react and then report what is shown; they do not assert,
 * so a test states its expectations itself and a failure says what was seen instead.
 */
import type { Frame, Locator } from 'playwright-core';
import type { CompiledCourse, Interaction, Page, Poll, Question, Response } from '../../../src/model.ts';

/** What the player shows: the page the contents mark as current and the page's h1. */
export interface ShownPage {
  /** `data-page` of `#cp-toc a[aria-current="page"]`, or null when none is marked. */
  id: string | null;
  /** Text of the page's h1 (whitespace collapsed), or null when there is none. */
  title: string | null;
  /** `#cp-page` is not `aria-busy`. */
  ready: boolean;
  /** The element that has focus in the SCO document, e.g. `h1` or `button#cp-next`. */
  focus: string;
}

const WAIT = 10_000;
/** How long focus may take to arrive after a page change (it follows the page, asynchronously). */
const FOCUS_WAIT = 3_000;

export async function shownPage(frame: Frame): Promise<ShownPage> {
  return frame.evaluate(() => {
    const a = document.querySelector<HTMLElement>('#cp-toc a[aria-current="page"]');
    const h1 = document.querySelector('#cp-page h1');
    const article = document.querySelector('#cp-page');
    const el = document.activeElement;
    const focus = !el || el === document.body
      ? 'body'
      : el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.closest('#cp-page') && el.tagName === 'H1' ? ' (page h1)' : '');
    return {
      id: a?.dataset.page ?? null,
      title: h1 ? (h1.textContent || '').replace(/\s+/g, ' ').trim() : null,
      ready: !!article && article.getAttribute('aria-busy') !== 'true' && !!h1,
      focus,
    };
  });
}

/** Waits until the player has shown a page (the first one after a launch); returns it. */
export async function waitForPlayer(frame: Frame, timeout = WAIT): Promise<ShownPage> {
  await frame
    .waitForFunction(
      () => {
        const article = document.querySelector('#cp-page');
        return !!article && article.getAttribute('aria-busy') === 'false' && !!article.querySelector('h1') &&
          !!document.querySelector('#cp-toc a[aria-current="page"]');
      },
      undefined,
      { timeout },
    )
    .catch(() => {});
  return shownPage(frame);
}

/** True when the page's h1 has focus within `timeout`. */
export async function h1GetsFocus(frame: Frame, timeout = FOCUS_WAIT): Promise<boolean> {
  return frame
    .waitForFunction(() => document.activeElement?.matches('#cp-page h1') === true, undefined, { timeout })
    .then(() => true, () => false);
}

/** Clicks a pager button and waits for another page; returns what is shown then (maybe unchanged). */
async function turn(frame: Frame, button: '#cp-next' | '#cp-prev'): Promise<ShownPage & { focused: boolean }> {
  const before = await shownPage(frame);
  await frame.locator(button).click();
  await frame
    .waitForFunction(
      (from) => {
        const a = document.querySelector<HTMLElement>('#cp-toc a[aria-current="page"]');
        const article = document.querySelector('#cp-page');
        return a?.dataset.page !== from && article?.getAttribute('aria-busy') === 'false' && !!article.querySelector('h1');
      },
      before.id,
      { timeout: WAIT },
    )
    .catch(() => {});
  const focused = await h1GetsFocus(frame);
  return { ...(await shownPage(frame)), focused };
}

export const next = (frame: Frame) => turn(frame, '#cp-next');
export const previous = (frame: Frame) => turn(frame, '#cp-prev');

// ---- answers from the model -------------------------------------------------------------------

export const isQuestion = (it: Interaction | undefined): it is Question => it?.kind === 'question';
export const isPoll = (it: Interaction | undefined): it is Poll => it?.kind === 'poll';
export const isResponse = (it: Interaction | undefined): it is Response => it?.kind === 'response';

export function interaction(compiled: CompiledCourse, id: string): Interaction {
  const it = compiled.interactions.get(id);
  if (!it) throw new Error(`no interaction ${id} in the course model`);
  return it;
}

export function pageById(compiled: CompiledCourse, id: string): Page {
  const page = compiled.course.pages.find((p) => p.id === id);
  if (!page) throw new Error(`no page ${id} in the course model`);
  return page;
}

export function interactionsOf(compiled: CompiledCourse, page: Page): Interaction[] {
  return page.interactionIds.map((id) => interaction(compiled, id));
}

/** The right answer: choice ids, or the first accepted text of a fill-in. */
export function correctAnswer(q: Question): string[] {
  if (q.type === 'fill-in') return [q.correct[0]];
  if (q.type === 'multiple') return [...q.correct];
  return [q.correct[0]];
}

/** A wrong answer: only wrong choices (or part of the right set when every choice is right), or a text no answer accepts. */
export function wrongAnswer(q: Question): string[] {
  if (q.type === 'fill-in') {
    const accepted = new Set(q.correct.map((c) => c.trim().toLowerCase()));
    let text = 'not the answer';
    while (accepted.has(text)) text += '!';
    return [text];
  }
  const wrong = q.choices.map((c) => c.id).filter((id) => !q.correct.includes(id));
  if (q.type === 'multiple') {
    if (wrong.length) return wrong;
    if (q.correct.length > 1) return q.correct.slice(0, 1);
    throw new Error(`question ${q.id}: no wrong answer exists`);
  }
  if (!wrong.length) throw new Error(`question ${q.id}: no wrong choice`);
  return [wrong[0]];
}

/** The truth value a true-false choice stands for (by its text, else True is listed first). */
export function truthOf(q: Question, choiceId: string): boolean {
  const i = q.choices.findIndex((c) => c.id === choiceId);
  const text = (q.choices[i]?.text || '').trim().toLowerCase();
  return text === 'true' ? true : text === 'false' ? false : i === 0;
}

// ---- the page ---------------------------------------------------------------------------------

export const section = (frame: Frame, id: string): Locator => frame.locator(`[data-interaction="${id}"]`);

/** Puts `values` into the block: checks exactly these choices, or types the text. */
export async function answer(frame: Frame, it: Interaction, values: string[]): Promise<void> {
  const s = section(frame, it.id);
  if (it.kind === 'response') return s.locator('textarea').fill(values[0] ?? '');
  if (it.kind === 'question' && it.type === 'fill-in') return s.locator('input.cp-fill').fill(values[0] ?? '');
  for (const choice of it.choices) {
    const input = s.locator(`input[value="${choice.id}"]`);
    if (values.includes(choice.id)) await input.check();
    else if ((await input.getAttribute('type')) === 'checkbox' && (await input.isChecked())) await input.uncheck();
  }
}

/** What the block shows as answered: checked choice ids, or the text of its field. */
export async function shownAnswer(frame: Frame, id: string): Promise<string[]> {
  return section(frame, id).evaluate((s) => {
    const field = s.querySelector<HTMLInputElement | HTMLTextAreaElement>('textarea, input.cp-fill');
    if (field) return field.value ? [field.value] : [];
    return Array.from(s.querySelectorAll<HTMLInputElement>('input:checked'), (i) => i.value);
  });
}

/** Waits until the locator has text (or `timeout` passes); returns its text, '' when none came. */
export async function textOf(locator: Locator, timeout = WAIT): Promise<string> {
  const first = locator.first();
  try {
    await first.waitFor({ state: 'attached', timeout });
    return await first.evaluate(
      (el, ms) =>
        new Promise<string>((done) => {
          const end = Date.now() + ms;
          const tick = (): void => {
            const text = (el.textContent || '').replace(/\s+/g, ' ').trim();
            if (text || Date.now() > end) done(text);
            else setTimeout(tick, 25);
          };
          tick();
        }),
      timeout,
    );
  } catch {
    return '';
  }
}

export const verdict = (frame: Frame, id: string, timeout = WAIT) => textOf(section(frame, id).locator('.cp-verdict'), timeout);

/** Clicks the block's button (check / submit-poll) and returns the verdict then shown. */
export async function press(frame: Frame, id: string, action: 'check' | 'submit-poll'): Promise<string> {
  await section(frame, id).locator(`button[data-action="${action}"]`).click();
  return verdict(frame, id);
}

export async function explanationShown(frame: Frame, id: string): Promise<boolean> {
  const e = section(frame, id).locator('.cp-explanation');
  return (await e.count()) > 0 && (await e.first().isVisible());
}

/** Types a response and leaves the field (Tab), as a learner moving on does. */
export async function typeResponse(frame: Frame, id: string, text: string, leave = true): Promise<void> {
  const area = section(frame, id).locator('textarea');
  await area.fill(text);
  if (leave) await area.press('Tab');
}

/** Ids of the questions the quiz shows, in display order. */
export async function shownQuestions(frame: Frame): Promise<string[]> {
  return frame.locator('#cp-page .cp-question').evaluateAll((all) =>
    all.filter((s) => !(s as HTMLElement).hidden && (s as HTMLElement).checkVisibility()).map((s) => (s as HTMLElement).dataset.interaction || ''),
  );
}

export const quizButton = (frame: Frame, action: 'submit-quiz' | 'retry-quiz'): Locator =>
  frame.locator(`#cp-page .cp-quiz button[data-action="${action}"]`);

/** Clicks "Submit answers" and returns the result text then announced ('' when none). */
export async function submitQuiz(frame: Frame): Promise<string> {
  const result = frame.locator('#cp-page .cp-quiz-result');
  const before = ((await result.textContent()) || '').trim();
  await quizButton(frame, 'submit-quiz').click();
  await frame
    .waitForFunction(
      (old) => {
        const t = (document.querySelector('#cp-page .cp-quiz-result')?.textContent || '').trim();
        return !!t && t !== old;
      },
      before,
      { timeout: WAIT },
    )
    .catch(() => {});
  return ((await result.textContent()) || '').replace(/\s+/g, ' ').trim();
}

/** Answers every question the quiz shows with `pick` (by id, from the model). Returns the answers given. */
export async function answerQuiz(
  frame: Frame,
  compiled: CompiledCourse,
  pick: (q: Question) => string[],
): Promise<Map<string, string[]>> {
  const given = new Map<string, string[]>();
  for (const id of await shownQuestions(frame)) {
    const q = interaction(compiled, id);
    if (!isQuestion(q)) throw new Error(`${id} is shown as a question but is a ${q.kind} in the model`);
    const values = pick(q);
    await answer(frame, q, values);
    given.set(id, values);
  }
  return given;
}

/**
 * Walks the pages in order with Next, from the one shown now (which should be `pages[0]`), calling
 * `visit` on each. Returns what was shown at each step; the caller asserts. Stops early when Next
 * does not lead to the expected page (the rest would be checked against the wrong page).
 */
export async function walkPages<P extends { id: string; title: string }>(
  frame: Frame,
  pages: P[],
  visit: (page: P, shown: ShownPage & { focused: boolean | null }) => Promise<void> = async () => {},
): Promise<{ page: P; shown: ShownPage & { focused: boolean | null } }[]> {
  const steps: { page: P; shown: ShownPage & { focused: boolean | null } }[] = [];
  for (const [i, page] of pages.entries()) {
    const shown = i === 0 ? { ...(await shownPage(frame)), focused: null } : await next(frame);
    steps.push({ page, shown });
    if (shown.id !== page.id) break;
    await visit(page, shown);
  }
  return steps;
}
