/**
 * The diligent learner of the real course, the same for every standard: Next through every page,
 * each poll submitted (an honest, varied rating), each knowledge check answered (the first of a
 * page wrong, then right), each response written from the course's own prose (300+ words in
 * workbooks). Everything given is recorded (`given`, `texts`, `leftWith`, `shown`) so a test can
 * check what the LMS or LRS holds against it; answers come from the compiled model.
 */
import type { Frame } from 'playwright-core';
import { expect } from 'vitest';
import type { CompiledCourse, Interaction, Page, Poll, Question } from '../../../src/model.ts';
import {
  answer, correctAnswer, explanationShown, interactionsOf, isPoll, isQuestion, isResponse, next, pageById, press, section, shownAnswer,
  shownPage, textOf, typeResponse, verdict, wrongAnswer,
} from './learner.ts';
import type { Answers, Given } from './sample-learner.ts';
import { pageHtml } from '../page-html.ts';

/** Shortest text the learner writes in a workbook or capstone response. */
export const MIN_WORDS = 300;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
const decodeEntities = (s: string): string =>
  s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (ENTITIES[e] ?? all));

/** The page's prose as sentences (8 to 60 words), without its interactive blocks. */
export function sentencesOf(compiled: CompiledCourse, page: Page): string[] {
  const text = decodeEntities(
    pageHtml(compiled, page)
      .replace(/<section\b[^>]*\bclass="cp-(?:question|poll|response)"[\s\S]*?<\/section>/g, '\n')
      .replace(/<\/?(?:h[1-6]|p|li|td|th|tr|blockquote|div|section|br|table)\b[^>]*>/g, '\n')
      .replace(/<[^>]+>/g, ''),
  );
  return text
    .split('\n')
    .flatMap((block) => block.replace(/\s+/g, ' ').trim().split(/(?<=[.!?])\s+(?=["“(]?[A-Z])/))
    .map((s) => s.trim())
    .filter((s) => /^["“(]?[A-Z]/.test(s) && /[.!?]["”)]?$/.test(s))
    .filter((s) => {
      const words = s.split(' ').length;
      return words >= 8 && words <= 60;
    });
}

export const wordCount = (s: string): number => s.split(/\s+/).filter(Boolean).length;

/** A small deterministic generator (mulberry32), seeded from a string. */
function random(seed: string): () => number {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return () => {
    h = (h + 0x6d2b79f5) | 0;
    let t = Math.imul(h ^ (h >>> 15), 1 | h);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(list: T[], rnd: () => number): T[] {
  const out = list.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * What the learner writes in each response: sentences of the course's prose, first from the
 * response's own module, never one sentence twice in the course, in paragraphs of three to five
 * sentences, until `minWords`. Real writing, so it compresses as real writing does.
 */
export function learnerTexts(compiled: CompiledCourse, ids: string[], minWords = MIN_WORDS): Record<string, string> {
  const { pages } = compiled.course;
  const used = new Set<string>();
  const texts: Record<string, string> = {};
  for (const id of ids) {
    const it = compiled.interactions.get(id);
    if (!it) throw new Error(`no interaction ${id} in the course model`);
    const home = pageById(compiled, it.pageId);
    const rnd = random(id);
    const near = pages.filter((p) => p.moduleId === home.moduleId);
    const far = pages.filter((p) => p.moduleId !== home.moduleId);
    const sentences = (p: Page) => sentencesOf(compiled, p);
    const pool = [...shuffled(near.flatMap(sentences), rnd), ...shuffled(far.flatMap(sentences), rnd)];
    const paragraphs: string[][] = [[]];
    let words = 0;
    let size = 3 + Math.floor(rnd() * 3);
    for (const s of pool) {
      if (words >= minWords) break;
      if (used.has(s)) continue;
      used.add(s);
      if (paragraphs[paragraphs.length - 1].length >= size) {
        paragraphs.push([]);
        size = 3 + Math.floor(rnd() * 3);
      }
      paragraphs[paragraphs.length - 1].push(s);
      words += wordCount(s);
    }
    if (words < minWords) throw new Error(`the course has too little prose left for ${id}`);
    texts[id] = paragraphs.map((p) => p.join(' ')).join('\n\n');
  }
  return texts;
}

/** A shorter comment for the course-feedback survey (not a workbook). */
export function surveyComment(compiled: CompiledCourse, id: string, used: Set<string>): string {
  const rnd = random(id);
  const out: string[] = [];
  for (const s of shuffled(compiled.course.pages.flatMap((p) => sentencesOf(compiled, p)), rnd)) {
    if (wordCount(out.join(' ')) >= 60) break;
    if (!used.has(s)) out.push(s);
  }
  return out.join(' ');
}

/** A deterministic but varied choice for a poll: the learner's honest rating, not always the same point. */
function pollChoice(p: Poll): string[] {
  const rnd = random(p.id);
  const from = p.type === 'likert' ? Math.floor(p.choices.length / 2) : 0; // upper half of a scale
  const i = from + Math.floor(rnd() * (p.choices.length - from));
  return [p.choices[i].id];
}

/** The response ids the learner writes 300+ words in: every response on a workbook page. */
export function workbookResponses(compiled: CompiledCourse): string[] {
  return compiled.course.pages
    .filter((p) => p.type === 'workbook')
    .flatMap((p) => interactionsOf(compiled, p).filter(isResponse).map((r) => r.id));
}

/** What the learner will type in every response: workbooks from `learnerTexts`, the rest a survey comment. */
export function planTexts(compiled: CompiledCourse): Record<string, string> {
  const plan = learnerTexts(compiled, workbookResponses(compiled));
  const used = new Set(Object.values(plan).flatMap((t) => t.split(/(?<=[.!?]["”)]?)\s+/)));
  for (const p of compiled.course.pages) {
    for (const r of interactionsOf(compiled, p).filter(isResponse)) plan[r.id] ??= surveyComment(compiled, r.id, used);
  }
  return plan;
}

export class DiligentLearner implements Answers {
  given: Given[] = [];
  leftWith: Record<string, string[]> = {};
  texts: Record<string, string> = {};
  /** Pages shown, in order (the first page of each launch is the test's to add). */
  shown: string[] = [];
  /** The course's frame: the test sets it at each launch. */
  frame!: Frame;
  /** What the learner will type, per response id. */
  readonly plan: Record<string, string>;

  /** `afterWrite` checks what the standard's runtime shows once a text is typed. */
  constructor(readonly compiled: CompiledCourse, private readonly afterWrite: (id: string) => Promise<void> = async () => {}) {
    this.plan = planTexts(compiled);
  }

  get pages(): Page[] {
    return this.compiled.course.pages;
  }
  its = (page: Page): Interaction[] => interactionsOf(this.compiled, page);
  indexOf = (id: string): number => this.pages.findIndex((p) => p.id === id);

  /** Next, then: the expected page is shown, its h1 is the model's title and has focus. */
  async nextTo(id: string): Promise<void> {
    const shown = await next(this.frame);
    if (shown.id) this.shown.push(shown.id);
    expect(shown.id, `page shown after Next (expected ${id})`).toBe(id);
    // Soft: the walk goes on, so one missing focus does not hide what comes after.
    expect.soft(shown.title, `h1 of ${id}`).toBe(pageById(this.compiled, id).title);
    expect.soft(shown.focused, `focus after Next to ${id} is on ${shown.focus}, not the page's h1`).toBe(true);
  }

  /** Opens a page from the contents (to look back at earlier work). */
  async goTo(id: string): Promise<void> {
    if ((await shownPage(this.frame)).id === id) return;
    await this.frame.locator(`#cp-toc a[data-page="${id}"]`).click();
    await this.frame.waitForFunction(
      (want) =>
        (document.querySelector('#cp-toc a[aria-current="page"]') as HTMLElement | null)?.dataset.page === want &&
        document.querySelector('#cp-page')?.getAttribute('aria-busy') === 'false',
      id,
      { timeout: 10_000 },
    );
    this.shown.push(id);
  }

  async checkQuestion(q: Question, wrongFirst: boolean): Promise<void> {
    let wrongVerdict = '';
    if (wrongFirst) {
      const values = wrongAnswer(q);
      await answer(this.frame, q, values);
      wrongVerdict = await press(this.frame, q.id, 'check');
      expect(wrongVerdict, `verdict of ${q.id} (answered wrong)`).not.toBe('');
      this.given.push({ id: q.id, values, how: 'check' });
    }
    const values = correctAnswer(q);
    await answer(this.frame, q, values);
    const rightVerdict = await press(this.frame, q.id, 'check');
    expect(rightVerdict, `verdict of ${q.id} (answered right)`).not.toBe('');
    if (wrongFirst) expect.soft(rightVerdict, `${q.id}: the right answer's verdict differs from the wrong one's`).not.toBe(wrongVerdict);
    const hasExplanation = (await section(this.frame, q.id).locator('.cp-explanation').count()) > 0;
    if (hasExplanation) expect.soft(await explanationShown(this.frame, q.id), `feedback of ${q.id} after checking`).toBe(true);
    this.given.push({ id: q.id, values, how: 'check' });
  }

  async submitPoll(p: Poll): Promise<void> {
    const values = pollChoice(p);
    await answer(this.frame, p, values);
    expect(await press(this.frame, p.id, 'submit-poll'), `confirmation of poll ${p.id}`).not.toBe('');
    this.given.push({ id: p.id, values, how: 'poll' });
  }

  async write(id: string): Promise<void> {
    const text = this.plan[id];
    await typeResponse(this.frame, id, text);
    this.texts[id] = text;
    this.leftWith[id] = [text];
    expect.soft(await shownAnswer(this.frame, id), `text of ${id} in its field`).toEqual([text]);
    expect.soft(await textOf(section(this.frame, id).locator('.cp-save-status'), 3_000), `save status of ${id}`).not.toBe('');
    await this.afterWrite(id);
  }

  /** Does everything the page asks of a diligent learner (the exam has its own steps). */
  async visit(page: Page): Promise<void> {
    if (page.type === 'quiz') return;
    let first = true;
    for (const it of this.its(page)) {
      if (isPoll(it)) await this.submitPoll(it);
      else if (isQuestion(it)) {
        await this.checkQuestion(it, first);
        first = false;
      } else await this.write(it.id);
    }
  }

  /** Next from the page shown to `last`, doing each page's work. */
  async walkThrough(last: string): Promise<void> {
    const from = this.indexOf((await shownPage(this.frame)).id ?? '');
    const to = this.indexOf(last);
    expect(to, `${last} comes after the page shown`).toBeGreaterThan(from);
    for (const page of this.pages.slice(from + 1, to + 1)) {
      await this.nextTo(page.id);
      await this.visit(page);
    }
  }

  /** The last answer given to each knowledge check or poll so far. */
  lastAnswers(): Map<string, string[]> {
    const m = new Map<string, string[]>();
    for (const g of this.given) if (g.how === 'check' || g.how === 'poll') m.set(g.id, g.values);
    return m;
  }

  /** Every text typed and every answer given so far on `pages` is shown on its page. */
  async expectWorkShown(when: string, pages: Page[] = this.pages): Promise<void> {
    const answers = this.lastAnswers();
    for (const page of pages) {
      const mine = page.interactionIds.filter((id) => id in this.texts || answers.has(id));
      if (!mine.length) continue;
      await this.goTo(page.id);
      for (const id of mine) {
        if (id in this.texts) {
          const shown = await shownAnswer(this.frame, id);
          expect.soft(shown[0]?.length ?? 0, `${when}: length of the text of ${id}`).toBe(this.texts[id].length);
          expect.soft(shown, `${when}: text of ${id}`).toEqual([this.texts[id]]);
        } else {
          expect.soft((await shownAnswer(this.frame, id)).sort(), `${when}: answer of ${id}`).toEqual([...answers.get(id)!].sort());
          expect.soft(await verdict(this.frame, id, 3_000), `${when}: verdict of ${id} shown again`).not.toBe('');
        }
      }
    }
  }
}
