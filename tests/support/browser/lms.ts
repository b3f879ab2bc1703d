/**
 * Node side of the LMS host (lms/host.html + host.js): opens the host in a tab, launches an
 * unpacked SCORM package in it, relaunches it like a learner coming back, and reads what the LMS
 * saw: every API call and the data it stored.
 */
import type { Frame, Page } from 'playwright-core';
import type { Browser } from './chromium.ts';
import type { StaticServer } from './server.ts';
import { readManifest, type ManifestLaunch } from './packages.ts';

export type Standard = 'scorm12' | 'scorm2004';

export interface LmsCall {
  session: number;
  seq: number;
  fn: string;
  args: string[];
  /** What the API returned, as a string (null when it returned nothing). */
  result: string | null;
  /** `lastErrorCode` right after the call. */
  error: string | null;
  /** The call came after this session's LMSFinish/Terminate had succeeded. */
  afterFinish: boolean;
  /** The call went to the API object of an earlier session. */
  staleApi: boolean;
  threw?: string;
}

export interface LmsSession {
  index: number;
  /** The flattened CMI data the LMS loaded before the SCO started. */
  launchData: Record<string, string>;
  initialized: boolean;
  finished: boolean;
}

/** An event scorm-again fired (initialise, set, commit, finish), with the element for sets. */
export interface LmsEvent {
  session: number;
  name: string;
  element: string | null;
}

export interface LmsCommit {
  session: number;
  fn: string;
  data: Record<string, string>;
}

export interface LmsOptions {
  standard: Standard;
  /** The unpacked package, served under `mountAt`. */
  packageDir: string;
  /** URL prefix for the package; default `/sco/<standard>/`. */
  mountAt?: string;
  learner?: { id: string; name: string };
  /** Extra scorm-again settings (defaults: autocommit off, logLevel 4 = errors). */
  settings?: Record<string, unknown>;
}

export interface LmsHost {
  page: Page;
  standard: Standard;
  manifest: ManifestLaunch;
  /** The SCO's frame (the same Frame object across relaunches). */
  sco(): Promise<Frame>;
  /** First launch. */
  launch(): Promise<void>;
  /**
   * Ends the session (the SCO document goes away → pagehide) and launches again with the data the
   * LMS stored. `newDevice` also clears the browser storage of the course's origin first, so that
   * whatever comes back can only have come from the LMS. Returns whether the SCO had finished.
   */
  relaunch(options?: { newDevice?: boolean }): Promise<{ finished: boolean }>;
  /** Ends the session without a new launch. */
  end(): Promise<{ finished: boolean }>;
  calls(): Promise<LmsCall[]>;
  sessions(): Promise<LmsSession[]>;
  commits(): Promise<LmsCommit[]>;
  events(): Promise<LmsEvent[]>;
  /** The data the LMS stored at the last successful commit/finish ({} before any). */
  stored(): Promise<Record<string, string>>;
  /** The LMS's live data model right now, read without an API call. */
  live(): Promise<Record<string, string>>;
  problems(): Promise<string[]>;
}

export const SCORM_FUNCTIONS = {
  scorm12: { init: 'LMSInitialize', finish: 'LMSFinish', get: 'LMSGetValue', set: 'LMSSetValue', commit: 'LMSCommit' },
  scorm2004: { init: 'Initialize', finish: 'Terminate', get: 'GetValue', set: 'SetValue', commit: 'Commit' },
} as const;

export async function openLms(browser: Browser, server: StaticServer, options: LmsOptions): Promise<LmsHost> {
  const { standard, packageDir } = options;
  const mountAt = options.mountAt ?? `/sco/${standard}/`;
  server.mount(mountAt, packageDir);
  const manifest = await readManifest(packageDir);
  const page = await browser.newPage();
  await page.goto(`${server.origin}/lms/host.html`);
  await page.waitForFunction(() => !!(window as any).lms && !!document.getElementById('sco'));
  await page.evaluate((config) => (window as any).lms.configure(config), {
    standard,
    sco: mountAt + manifest.href,
    learner: options.learner ?? { id: 'learner-1', name: 'Learner, Test' },
    masteryScore: standard === 'scorm12' ? manifest.masteryScore : null,
    scaledPassingScore: standard === 'scorm2004' ? manifest.scaledPassingScore : null,
    completionThreshold: standard === 'scorm2004' ? manifest.completionThreshold : null,
    settings: options.settings ?? {},
  });

  const read = <T>(expr: (lms: any) => T): Promise<T> =>
    page.evaluate(`JSON.parse(JSON.stringify((${expr.toString()})(window.lms)))`) as Promise<T>;
  const unload = async (): Promise<boolean> => page.evaluate(() => (window as any).lms.unload());

  const host: LmsHost = {
    page,
    standard,
    manifest,
    async sco() {
      const handle = await page.locator('#sco').elementHandle();
      const frame = await handle?.contentFrame();
      if (!frame) throw new Error('the LMS host has no SCO frame');
      return frame;
    },
    async launch() {
      await page.evaluate(() => (window as any).lms.launch());
    },
    async relaunch({ newDevice = false } = {}) {
      const finished = await unload();
      if (newDevice) await page.evaluate(() => {
        localStorage.clear();
        sessionStorage.clear();
      });
      await host.launch();
      return { finished };
    },
    async end() {
      return { finished: await unload() };
    },
    calls: () => read((lms) => lms.calls),
    sessions: () => read((lms) => lms.sessions),
    commits: () => read((lms) => lms.commits),
    events: () => read((lms) => lms.events),
    stored: () => read((lms) => lms.stored || {}),
    live: () => read((lms) => lms.peek()),
    problems: () => read((lms) => lms.problems),
  };
  return host;
}

/** One line per call, for failure messages: `#12 s0 LMSSetValue("cmi.core.exit", "x") → "false" [405]`. */
export function formatCall(c: LmsCall): string {
  const args = c.args.map((a) => JSON.stringify(a.length > 80 ? a.slice(0, 77) + '...' : a)).join(', ');
  const flags = [c.afterFinish ? 'after finish' : '', c.staleApi ? 'old API' : '', c.threw ? `threw ${c.threw}` : '']
    .filter(Boolean)
    .join(', ');
  return `#${c.seq} s${c.session} ${c.fn}(${args}) → ${JSON.stringify(c.result)} [${c.error}]${flags ? ' (' + flags + ')' : ''}`;
}

/**
 * What a standard-conforming session looks like in the call log, as a list of problems (empty
 * when fine): every call's error code "0"; per session exactly one successful initialise, as the
 * first call, and exactly one successful finish, as the last; nothing on an old API object.
 */
export function sessionProblems(standard: Standard, calls: LmsCall[], sessions: number, events?: LmsEvent[]): string[] {
  const f = SCORM_FUNCTIONS[standard];
  const problems: string[] = [];
  if (events) {
    // scorm-again fires its events inside the API, however it was called: more events than
    // recorded calls means the SCO went around the standard functions.
    for (const name of [f.init, f.set, f.commit, f.finish]) {
      for (let s = 0; s < sessions; s++) {
        const fired = events.filter((e) => e.session === s && e.name === name).length;
        const called = calls.filter((c) => c.session === s && c.fn === name).length;
        if (fired > called) problems.push(`session ${s}: scorm-again saw ${fired} × ${name}, the SCO called ${name} ${called} times`);
      }
    }
  }
  for (const c of calls) {
    // The error-query functions only repeat the code of the call before them.
    const query = /GetLastError|GetErrorString|GetDiagnostic/.test(c.fn);
    if (c.error !== '0' && !query) problems.push(`error ${c.error} after ${formatCall(c)}`);
    if (c.threw) problems.push(`API threw: ${formatCall(c)}`);
    if (c.afterFinish) problems.push(`call after ${f.finish}: ${formatCall(c)}`);
    if (c.staleApi) problems.push(`call on the API of an earlier session: ${formatCall(c)}`);
  }
  for (let s = 0; s < sessions; s++) {
    const mine = calls.filter((c) => c.session === s);
    const inits = mine.filter((c) => c.fn === f.init);
    const finishes = mine.filter((c) => c.fn === f.finish);
    if (inits.length !== 1) problems.push(`session ${s}: ${inits.length} × ${f.init} (expected 1)`);
    else {
      const first = mine.find((c) => !/GetLastError|GetErrorString|GetDiagnostic/.test(c.fn));
      if (first !== inits[0]) problems.push(`session ${s}: a call before ${f.init}: ${formatCall(first!)}`);
    }
    if (inits.length && inits[0].result !== 'true') problems.push(`session ${s}: ${formatCall(inits[0])}`);
    if (finishes.length !== 1) problems.push(`session ${s}: ${finishes.length} × ${f.finish} (expected 1)`);
    else if (mine[mine.length - 1] !== finishes[0]) {
      problems.push(`session ${s}: calls after ${f.finish}: ${formatCall(mine[mine.length - 1])}`);
    }
    if (finishes.length && finishes[0].result !== 'true') problems.push(`session ${s}: ${formatCall(finishes[0])}`);
  }
  return problems;
}

/** The values the SCO set for `element` in the given session (all sessions when omitted), in order. */
export function valuesSet(standard: Standard, calls: LmsCall[], element: string, session?: number): string[] {
  const set = SCORM_FUNCTIONS[standard].set;
  return calls
    .filter((c) => c.fn === set && c.args[0] === element && (session === undefined || c.session === session))
    .map((c) => c.args[1]);
}

/**
 * The data model as the SCO wrote it: every element's last value set, over all sessions. Compare
 * with what the LMS stored — scorm-again quietly normalises some values (a 1.2 result `incorrect`
 * becomes `wrong`), which a stricter LMS would refuse.
 */
export function sentData(standard: Standard, calls: LmsCall[]): Record<string, string> {
  const set = SCORM_FUNCTIONS[standard].set;
  const data: Record<string, string> = {};
  for (const c of calls) if (c.fn === set && c.result === 'true') data[c.args[0]] = c.args[1];
  return data;
}

/**
 * The host's SCORM 1.2 LMS keeps at most `limit` characters of `cmi.suspend_data` and refuses a
 * longer value with error 405, as Moodle does with its `scormstandard` setting on (4,096) or off
 * (64,000). scorm-again 3.4.3 has no setting for this (its 1.2 pattern is a fixed 64,000), so the
 * host's API class is replaced by a thin subclass. Call before `launch()`.
 */
export async function limitSuspendData(lms: LmsHost, limit: number): Promise<void> {
  await lms.page.evaluate((max) => {
    const w = window as any;
    const Base = w.Scorm12API;
    w.Scorm12API = class extends Base {
      constructor(...args: unknown[]) {
        super(...args);
        // scorm-again sets its API functions on the instance, so this one is wrapped there too.
        const set = this.LMSSetValue;
        this.LMSSetValue = (element: string, value: unknown) => {
          if (element === 'cmi.suspend_data' && String(value).length > max) {
            // The error code as an LMS sets it, without scorm-again's console logging of its own errors.
            this.lastErrorCode = '405';
            return 'false';
          }
          return set.call(this, element, value);
        };
      }
    };
  }, limit);
}

/** The writes of `cmi.suspend_data` the LMS refused (the runtime's trial of a long state). */
export const refusedStateWrites = (calls: LmsCall[]): LmsCall[] =>
  calls.filter((c) => c.fn === 'LMSSetValue' && c.args[0] === 'cmi.suspend_data' && c.result === 'false');
