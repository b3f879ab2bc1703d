/**
 * What the xAPI and cmi5 browser tests share: the sample course built for the target and served,
 * a real LRS behind the LMS stand-in, Chromium, launching and leaving, the learner's walk through
 * the course (answers from the compiled model), a record of every statement the page tried to
 * send, and the checks of the `answered` statements against the answers given.
 */
import type { Frame, Page, Request } from 'playwright-core';
import type { CompiledCourse } from '../../src/model.ts';
import { QUEUE_KEY_PREFIX } from '../../src/runtime/xapi/stored-list.ts';
import { SAMPLE_COURSE } from '../support/course.ts';
import { buildCourse, launchBrowser, startStaticServer, waitForPlayer, type Browser, type BuiltCourse, type StaticServer } from '../support/browser/index.ts';
import { startLaunchServer, startLrs, type Agent, type Launch, type Lrs, type StandIn, type Statement } from '../support/lrs/index.ts';

export type Kind = 'xapi' | 'cmi5';

export * from './answers.ts';

export const ACTOR: Agent = {
  objectType: 'Agent',
  name: 'Learner, Test',
  account: { homePage: 'https://lms.coursepack.test', name: 'learner-1' },
};

export { LESSON, Learner, QUIZ, TEXTS, WORKBOOK } from '../support/browser/index.ts';

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

/**
 * Until the page has seen every statement of the registration it sent stored: its queue in
 * localStorage is gone. A statement the LRS holds but whose answer is still on its way back would
 * otherwise go again in the closing batch.
 */
export async function sentAll(session: Session, registration: string, timeout = 30_000): Promise<void> {
  await session.frame.waitForFunction(
    ([prefix, registration]) => !Object.keys(localStorage).some((key) => key.startsWith(prefix!) && key.includes(`|${registration}|`)),
    [QUEUE_KEY_PREFIX, registration], { timeout });
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
