/**
 * What the xAPI and cmi5 browser tests share: the sample course built for the target and served,
 * a real LRS behind the LMS stand-in, Chromium, launching and leaving, the learner's walk through
 * the course (answers from the compiled model), a record of every statement the page tried to
 * send, and the checks of the `answered` statements against the answers given.
 */
import { expect } from 'vitest';
import type { Frame, Page, Request } from 'playwright-core';
import type { CompiledCourse, Interaction, Question } from '../../src/model.ts';
import { SAMPLE_COURSE } from '../support/course.ts';
import {
  answer,
  answerQuiz,
  buildCourse,
  correctAnswer,
  interactionsOf,
  isPoll,
  isQuestion,
  launchBrowser,
  next,
  pageById,
  press,
  quizButton,
  startStaticServer,
  submitQuiz,
  typeResponse,
  waitForPlayer,
  wrongAnswer,
  type Browser,
  type BuiltCourse,
  type StaticServer,
} from '../support/browser/index.ts';
import {
  startLaunchServer,
  startLrs,
  type Agent,
  type Launch,
  type Lrs,
  type StandIn,
  type Statement,
} from '../support/lrs/index.ts';

export type Kind = 'xapi' | 'cmi5';

export * from './answers.ts';
import type { Given } from './answers.ts';

export const ACTOR: Agent = {
  objectType: 'Agent',
  name: 'Learner, Test',
  account: { homePage: 'https://lms.coursepack.test', name: 'learner-1' },
};

export const LESSON = 'lesson-one';
export const WORKBOOK = 'plan';
export const QUIZ = 'final-quiz';

/** What the learner types (as in the SCORM run). */
export const TEXTS = {
  summary: 'Grow repeat orders by 15% with AI product recommendations, piloted on one category first.',
  risks: 'Data quality and team skills.',
  risksAddition: ' Also vendor lock-in.',
  comment: 'Clear and practical, thank you.',
};

/** A POST/PUT of statements the page made, as Chromium saw it. */
export interface Attempt {
  seq: number;
  at: number;
  method: string;
  statements: Statement[];
  /** HTTP status, 'failed' (no answer: refused, dropped, aborted) or 'pending'. */
  outcome: number | 'failed' | 'pending';
  /** The body is compact JSON (field reports: some LMS proxies re-serialise bodies). */
  compact: boolean;
}

export interface Env {
  kind: Kind;
  built: BuiltCourse;
  compiled: CompiledCourse;
  server: StaticServer;
  browser: Browser;
  lrs: Lrs;
  lms: StandIn;
  /** URL of the served package, with `/`. */
  base: string;
  attempts: Attempt[];
  /** Stand-in requests (method, path, query) the page made, as Chromium saw them. */
  seen: { at: number; method: string; url: string }[];
}

/** `courseDir`: the course to build (the sample course unless given). */
export async function startEnv(kind: Kind, courseDir: string = SAMPLE_COURSE): Promise<Env> {
  const built = await buildCourse(courseDir, [kind]);
  const server = await startStaticServer({ [`/pkg/${kind}/`]: built.dirs[kind]! });
  const lrs = await startLrs();
  const lms = await startLaunchServer({ lrs, origins: [server.origin] });
  const browser = await launchBrowser();
  const env: Env = {
    kind, built, compiled: built.compiled, server, browser, lrs, lms,
    base: `${server.origin}/pkg/${kind}/`, attempts: [], seen: [],
  };
  const byRequest = new WeakMap<Request, Attempt>();
  let seq = 0;
  browser.context.on('request', (r) => {
    if (!r.url().startsWith(lms.origin)) return;
    env.seen.push({ at: Date.now(), method: r.method(), url: r.url() });
    if (!r.url().startsWith(`${lms.origin}/xapi/statements`) || (r.method() !== 'POST' && r.method() !== 'PUT')) return;
    let statements: Statement[] = [];
    let compact = false;
    const raw = r.postData() ?? '';
    try {
      const body = JSON.parse(raw || 'null');
      statements = Array.isArray(body) ? body : body ? [body] : [];
      compact = JSON.stringify(body) === raw;
    } catch {
      /* counted with no statements */
    }
    const a: Attempt = { seq: ++seq, at: Date.now(), method: r.method(), statements, outcome: 'pending', compact };
    env.attempts.push(a);
    byRequest.set(r, a);
  });
  browser.context.on('requestfinished', async (r) => {
    const a = byRequest.get(r);
    if (a) a.outcome = (await r.response().catch(() => null))?.status() ?? 'failed';
  });
  browser.context.on('requestfailed', (r) => {
    const a = byRequest.get(r);
    if (a) a.outcome = 'failed';
  });
  return env;
}

export async function closeEnv(env: Env | undefined): Promise<void> {
  await env?.browser.close();
  await env?.lms.close();
  await env?.lrs.close();
  await env?.server.close();
  await env?.built.remove();
}

/** Statement ids in the order the page first tried to send them (optionally: of one registration). */
export function generatedIds(env: Env, registration?: string): string[] {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const a of env.attempts) {
    for (const s of a.statements) {
      if (registration && s.context?.registration !== registration) continue;
      if (s.id && !seen.has(s.id)) {
        seen.add(s.id);
        ids.push(s.id);
      }
    }
  }
  return ids;
}

export interface Session {
  launch: Launch;
  page: Page;
  frame: Frame;
}

/** Opens the launch URL in a new tab and waits for the player's first page. */
export async function open(env: Env, launch: Launch): Promise<Session> {
  const page = await env.browser.newPage();
  await page.goto(launch.url);
  const frame = page.mainFrame();
  await waitForPlayer(frame, 20_000);
  return { launch, page, frame };
}

/** The learner closes the tab (pagehide, then the document goes away). */
export async function leave(session: Session): Promise<void> {
  await session.page.close({ runBeforeUnload: true });
  if (!session.page.isClosed()) await session.page.waitForEvent('close', { timeout: 10_000 }).catch(() => {});
}

/** The registration's statements once `done` holds for them (or `timeout` passed): stored order. */
export async function settle(
  env: Env,
  registration: string,
  done: (list: Statement[]) => boolean,
  timeout = 30_000,
): Promise<Statement[]> {
  const until = Date.now() + timeout;
  for (;;) {
    const list = await env.lrs.statements({ registration });
    if (done(list) || Date.now() > until) return list;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The registration's statements once nothing new arrived for `quietMs`. */
export async function quiet(env: Env, registration: string, quietMs = 1500, timeout = 30_000): Promise<Statement[]> {
  const until = Date.now() + timeout;
  let last = -1;
  let since = Date.now();
  for (;;) {
    const list = await env.lrs.statements({ registration });
    if (list.length !== last) {
      last = list.length;
      since = Date.now();
    } else if (Date.now() - since >= quietMs || Date.now() > until) return list;
    await new Promise((r) => setTimeout(r, 250));
  }
}

// ---- the learner ------------------------------------------------------------------------------

export class Learner {
  given: Given[] = [];
  /** Texts each response held when the learner left its field. */
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

  /** Answers a knowledge check rightly and checks it. */
  async checkRight(frame: Frame, q: Interaction): Promise<void> {
    if (!isQuestion(q)) throw new Error(`${q.id} is not a question`);
    await answer(frame, q, correctAnswer(q));
    await press(frame, q.id, 'check');
    this.given.push({ id: q.id, values: correctAnswer(q), how: 'check' });
  }

  /** Submits a poll with the choice `pollChoice` picks. */
  async submitPoll(frame: Frame, p: Interaction): Promise<void> {
    const values = this.pollChoice(p.id);
    await answer(frame, p, values);
    await press(frame, p.id, 'submit-poll');
    this.given.push({ id: p.id, values, how: 'poll' });
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

  /** The lesson's knowledge checks (right answers) and polls. */
  async lesson(frame: Frame): Promise<void> {
    for (const it of this.its(LESSON)) {
      if (isQuestion(it)) {
        const values = correctAnswer(it);
        await answer(frame, it, values);
        expect(await press(frame, it.id, 'check'), `verdict of ${it.id}`).not.toBe('');
        this.given.push({ id: it.id, values, how: 'check' });
      } else if (isPoll(it)) {
        const values = this.pollChoice(it.id);
        await answer(frame, it, values);
        expect(await press(frame, it.id, 'submit-poll'), `confirmation of ${it.id}`).not.toBe('');
        this.given.push({ id: it.id, values, how: 'poll' });
      }
    }
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

  async passQuiz(frame: Frame): Promise<string> {
    if (await quizButton(frame, 'retry-quiz').isVisible()) {
      await quizButton(frame, 'retry-quiz').click();
      await quizButton(frame, 'submit-quiz').waitFor({ state: 'visible' });
    }
    return this.quiz(frame, 'quiz-2', (q) => correctAnswer(q));
  }

  /** The last page: its poll and its comment. */
  async feedback(frame: Frame): Promise<void> {
    const last = this.compiled.course.pages[this.compiled.course.pages.length - 1];
    for (const it of this.its(last.id)) {
      if (isPoll(it)) {
        const values = this.pollChoice(it.id);
        await answer(frame, it, values);
        expect(await press(frame, it.id, 'submit-poll')).not.toBe('');
        this.given.push({ id: it.id, values, how: 'poll' });
      } else if (it.kind === 'response') {
        await typeResponse(frame, it.id, TEXTS.comment);
        this.texts[it.id] = TEXTS.comment;
        this.leftWith[it.id] = [TEXTS.comment];
      }
    }
  }
}

