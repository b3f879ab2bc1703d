/**
 * The cmi5 adapter against a fake LMS behind fetch: a single-use token URL, the LMS.LaunchData
 * state, the learner-preferences profile and an LRS that checks the cmi5 rules like ADL's cmi5
 * player (403 with the rule on any violation). Only the network boundary is fake.
 */
import { describe, expect, it } from 'vitest';
import validation from 'xapi-validation';
import { createCmi5Adapter, safeReturnUrl, type Cmi5Adapter } from '../../src/runtime/adapters/cmi5.ts';
import type { StartInfo } from '../../src/runtime/adapters/types.ts';
import { makeCourse, records, memoryStore } from './fixtures.ts';

/** Learning Locker's statement validator (a CommonJS module: its function is `default` under Node's ESM). */
const validate: (s: unknown) => unknown[] = (validation as any).default ?? validation;

const course = makeCourse();
const REG = '760e3480-ba55-4991-94b0-01820dbd23a2';
const AU = 'https://lms.example.com/generated/au/17'; // the LMS's activityId, not the publisher's id
const PUBLISHER_AU = `${course.id}/au`;
const actor = { objectType: 'Agent', account: { homePage: 'https://lms.example.com', name: 'u42' }, name: 'Jo' };
const CAT = 'https://w3id.org/xapi/cmi5/context/categories/';
const EXT = 'https://w3id.org/xapi/cmi5/context/extensions/';
const DEFINED = ['initialized', 'completed', 'passed', 'failed', 'terminated'];

const verbOf = (s: any): string => s.verb.id.split('/').pop();
const cats = (s: any): string[] => (s.context?.contextActivities?.category || []).map((a: any) => a.id.slice(CAT.length));

/** One LMS, several launches (sessions) of the same registration. */
function fakeLms(launchData: Record<string, unknown> = {}, preferences: object | null = null) {
  const statements: any[] = [];
  const violations: string[] = [];
  const log: string[] = [];
  const tokens = new Map<string, { token: string; used: boolean; session: string }>();
  const prefsRead = new Set<string>();
  const docs = new Map<string, string>();
  let launches = 0;
  let mode = 'Normal';

  function launch(): string {
    const n = ++launches;
    const session = `session-${n}`;
    const fetchUrl = `https://lms.example.com/token?k=${n}`;
    tokens.set(fetchUrl, { token: `token-${n}`, used: false, session });
    docs.set(`LMS.LaunchData`, JSON.stringify({
      contextTemplate: {
        contextActivities: { grouping: [{ objectType: 'Activity', id: PUBLISHER_AU }] },
        extensions: { [EXT + 'sessionid']: session },
      },
      launchMode: mode,
      moveOn: 'CompletedAndPassed',
      returnURL: 'https://lms.example.com/course/5',
      ...launchData,
    }));
    return 'https://cdn.example.com/c/index.html?' + new URLSearchParams({
      endpoint: 'https://lms.example.com/lrs', fetch: fetchUrl, actor: JSON.stringify(actor), registration: REG, activityId: AU,
    });
  }

  /** The cmi5 rules an LMS enforces on what an AU sends (§9.3, §9.5, §9.6). */
  function check(s: any, session: string): string | null {
    const v = verbOf(s);
    const inSession = statements.filter((x) => x.context?.extensions?.[EXT + 'sessionid'] === session);
    const defined = cats(s).includes('cmi5');
    if (validate(s).length) return 'not a valid xAPI statement';
    if (!prefsRead.has(session)) return '§11: statement before learner preferences were read';
    if (s.context?.extensions?.[EXT + 'sessionid'] !== session) return '§9.6.3.1: session id missing';
    if (!s.context.contextActivities.grouping.some((a: any) => a.id === PUBLISHER_AU)) return '§9.6.2.3: publisher id missing';
    if (s.context.registration !== REG) return '§9.6.1: registration';
    if (!inSession.length && v !== 'initialized') return '§9.3.2: initialized must come first';
    if (inSession.some((x) => verbOf(x) === 'terminated')) return '§9.3.8: statement after terminated';
    if (DEFINED.includes(v) !== defined) return '§7.1.3: cmi5 category on the wrong statement';
    if (!defined) return null;
    if (s.object.id !== AU) return '§9.4: object must be the launch activityId';
    if (inSession.some((x) => verbOf(x) === v && cats(x).includes('cmi5'))) return '§9.3: verb repeated in the session';
    const moveOn = s.result?.success !== undefined || s.result?.completion !== undefined;
    if (moveOn !== cats(s).includes('moveon')) return '§9.6.2.2: moveOn category';
    if (['completed', 'passed', 'failed'].includes(v)) {
      if (mode !== 'Normal') return '§10.2.2: no completed/passed/failed outside Normal mode';
      const earlier = statements.filter((x) => cats(x).includes('cmi5')).map(verbOf);
      if (v === 'completed' && earlier.includes('completed')) return '§9.3: completed twice in the registration';
      if (v === 'passed' && earlier.includes('passed')) return '§9.3: passed twice in the registration';
      if (v === 'failed' && earlier.includes('passed')) return '§9.3: failed after passed';
      if (v !== 'completed' && inSession.some((x) => ['passed', 'failed'].includes(verbOf(x)))) return '§9.3: passed and failed in one session';
      if (v !== 'completed') {
        const m = (JSON.parse(docs.get('LMS.LaunchData')!) as any).masteryScore;
        if (m !== undefined && s.context.extensions[EXT + 'masteryscore'] !== m) return '§9.6.3.2: masteryScore extension';
        if (m !== undefined && (v === 'passed') !== s.result.score.scaled >= m) return '§9.3.4: verdict not consistent with masteryScore';
      }
      if (v === 'completed' ? s.result.completion !== true : s.result.success !== (v === 'passed')) return '§9.5: success/completion';
      if (v === 'completed' && s.result.score) return '§9.5.1: score on completed';
    }
    if (['completed', 'passed', 'failed', 'terminated'].includes(v) && !/^PT/.test(s.result?.duration || '')) return '§9.5.4: duration';
    return null;
  }

  const fetch = async (input: string, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input);
    const method = init.method || 'GET';
    await new Promise((r) => setTimeout(r, 1));
    const token = tokens.get(input);
    if (token) {
      log.push(`${method} fetch`);
      if (method !== 'POST') return new Response('', { status: 405 });
      if (token.used) return Response.json({ 'error-code': '1', 'error-text': 'The authorization token has already been returned.' });
      token.used = true;
      return Response.json({ 'auth-token': token.token });
    }
    const headers = init.headers as Record<string, string>;
    const session = [...tokens.values()].find((t) => `Basic ${t.token}` === headers.Authorization)?.session;
    if (!session || headers['X-Experience-API-Version'] !== '1.0.3') return new Response('', { status: 401 });
    const path = url.pathname.replace('/lrs/', '');
    if (path === 'agents/profile') {
      log.push('GET preferences');
      prefsRead.add(session);
      return preferences ? Response.json(preferences) : new Response('', { status: 404 });
    }
    if (path === 'activities/state') {
      const id = url.searchParams.get('stateId')!;
      log.push(`${method} ${id}`);
      if (url.searchParams.get('activityId') !== AU || url.searchParams.get('registration') !== REG) return new Response('', { status: 400 });
      if (method === 'GET') return docs.has(id) ? new Response(docs.get(id)) : new Response('', { status: 404 });
      if (id === 'LMS.LaunchData') return new Response('', { status: 403 }); // the AU must not change it
      docs.set(id, String(init.body));
      return new Response(null, { status: 204 });
    }
    if (path === 'statements' && method === 'POST') {
      const list = JSON.parse(String(init.body));
      log.push(...list.map((s: any) => `POST ${verbOf(s)}`));
      for (const s of list) {
        if (statements.some((x) => x.id === s.id)) return new Response('', { status: 409 });
        const problem = check(s, session);
        if (problem) {
          violations.push(`${verbOf(s)}: ${problem}`);
          return new Response(problem, { status: 403 });
        }
        statements.push(s);
      }
      return Response.json(list.map((s: any) => s.id));
    }
    return new Response('', { status: 404 });
  };

  return {
    fetch, statements, violations, log, docs, launch,
    setMode: (m: string) => (mode = m),
    verbs: (from = 0) => statements.slice(from).map(verbOf),
  };
}

type Lms = ReturnType<typeof fakeLms>;

function open(lms: Lms, url = lms.launch(), storage = memoryStore(), session = memoryStore()): Cmi5Adapter {
  return createCmi5Adapter({ url, fetch: lms.fetch, storage, session, saveDelayMs: 5, baseDelayMs: 5 });
}

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('cmi5 adapter', () => {
  it('launches in the order of the spec: one token POST, LaunchData, preferences, then statements', async () => {
    const lms = fakeLms();
    const a = open(lms);
    const info = (await a.start(course)) as StartInfo;
    await until(() => lms.statements.length === 1);
    expect(lms.log.slice(0, 5)).toEqual(['POST fetch', 'GET LMS.LaunchData', 'GET preferences', 'GET coursepack-state', 'POST initialized']);
    expect(info).toEqual({ learnerId: 'https://lms.example.com|u42', learnerName: 'Jo', state: '', bookmark: '', mode: 'normal', storage: 'lms' });
    expect(a.launchData()).toMatchObject({ launchMode: 'Normal', moveOn: 'CompletedAndPassed', returnURL: 'https://lms.example.com/course/5', masteryScore: null });
    expect(a.preferences()).toBeNull(); // 404: no preferences
  });

  it('plays a Normal session the LMS accepts: cmi5 defined and allowed statements, in order', async () => {
    const lms = fakeLms({ masteryScore: 0.8 });
    const a = open(lms);
    await a.start(course);
    a.saveState('overview', 'cp1:a');
    a.saveState('lesson-1', 'cp1:b');
    records.forEach((r) => a.recordInteraction(r));
    a.setScore(85, 0, 100, true);
    a.setProgress(1, true);
    a.commit();
    await a.exit();
    expect(lms.violations).toEqual([]);
    expect(lms.verbs()).toEqual(['initialized', 'experienced', 'experienced', ...records.map(() => 'answered'), 'passed', 'completed', 'terminated']);
    for (const s of lms.statements) {
      const defined = DEFINED.includes(verbOf(s));
      expect(cats(s), verbOf(s)).toEqual(defined ? (['passed', 'completed'].includes(verbOf(s)) ? ['cmi5', 'moveon'] : ['cmi5']) : []);
      expect(s.context.extensions[EXT + 'sessionid']).toBe('session-1');
      expect(s.context.contextActivities.grouping[0].id).toBe(PUBLISHER_AU); // the template's, kept first
    }
    const passed = lms.statements.find((s) => verbOf(s) === 'passed');
    expect(passed.result).toMatchObject({ score: { scaled: 0.85, raw: 85, min: 0, max: 100 }, success: true });
    expect(passed.context.extensions[EXT + 'masteryscore']).toBe(0.8);
    expect(JSON.parse(lms.docs.get('coursepack-state')!)).toMatchObject({ location: 'lesson-1', state: 'cp1:b', verdicts: ['passed', 'completed'] });
  });

  it('sends completed and passed at most once per registration, across sessions', async () => {
    const lms = fakeLms();
    const first = open(lms);
    await first.start(course);
    first.setScore(90, 0, 100, true);
    first.setProgress(1, true);
    await first.exit();
    const second = open(lms, lms.launch(), memoryStore()); // another session, another browser
    await second.start(course);
    second.setScore(100, 0, 100, true);
    second.setProgress(1, true);
    second.setProgress(1, true);
    await second.exit();
    expect(lms.violations).toEqual([]);
    expect(lms.verbs()).toEqual(['initialized', 'passed', 'completed', 'terminated', 'initialized', 'terminated']);
  });

  it('applies the LaunchData masteryScore, holds a failure until the session ends, and passes later', async () => {
    const lms = fakeLms({ masteryScore: 0.9 });
    const a = open(lms);
    await a.start(course);
    a.setScore(85, 0, 100, true); // the course's own mastery says passed; the LMS asks for 0.9
    a.setScore(88, 0, 100, true);
    await a.exit();
    const failed = lms.statements.find((s) => verbOf(s) === 'failed');
    expect(failed.result).toMatchObject({ score: { scaled: 0.88 }, success: false });
    expect(failed.context.extensions[EXT + 'masteryscore']).toBe(0.9);
    const b = open(lms);
    await b.start(course);
    b.setScore(95, 0, 100, true);
    await b.exit();
    expect(lms.violations).toEqual([]);
    expect(lms.verbs()).toEqual(['initialized', 'failed', 'terminated', 'initialized', 'passed', 'terminated']);
  });

  it('sends only passed when the learner fails and then passes in the same session', async () => {
    const lms = fakeLms({ masteryScore: 0.8 });
    const a = open(lms);
    await a.start(course);
    a.setScore(50, 0, 100, false);
    a.setScore(80, 0, 100, true);
    await a.exit();
    expect(lms.violations).toEqual([]);
    expect(lms.verbs()).toEqual(['initialized', 'passed', 'terminated']);
  });

  it.each(['Browse', 'Review'])('%s mode: read-only, initialized and terminated only', async (mode) => {
    const lms = fakeLms();
    lms.setMode(mode);
    const a = open(lms);
    const info = (await a.start(course)) as StartInfo;
    expect(info.mode).toBe(mode.toLowerCase());
    a.saveState('lesson-1', 'cp1:x');
    records.forEach((r) => a.recordInteraction(r));
    a.setScore(100, 0, 100, true);
    a.setProgress(1, true);
    await a.exit();
    expect(lms.violations).toEqual([]);
    expect(lms.verbs()).toEqual(['initialized', 'terminated']);
    expect(lms.docs.has('coursepack-state')).toBe(false);
  });

  it('reuses the token on a reload and, once the session has ended, records nothing more', async () => {
    const lms = fakeLms();
    const url = lms.launch();
    const session = memoryStore();
    const storage = memoryStore();
    const a = open(lms, url, storage, session);
    await a.start(course);
    a.saveState('lesson-1', 'cp1:kept');
    a.finish('suspend'); // pagehide of the reload
    await until(() => lms.verbs().includes('terminated'));
    await until(() => lms.docs.get('coursepack-state')?.includes('cp1:kept') ?? false);
    const again = open(lms, url, storage, session);
    const info = (await again.start(course)) as StartInfo;
    expect(lms.log.filter((l) => l === 'POST fetch')).toHaveLength(1);
    expect(info).toMatchObject({ mode: 'review', state: 'cp1:kept', bookmark: 'lesson-1' });
    expect(again.sessionEnded()).toBe(true);
    again.setProgress(1, true);
    again.finish('suspend');
    await new Promise((r) => setTimeout(r, 30));
    expect(lms.verbs()).toEqual(['initialized', 'experienced', 'terminated']);
    expect(lms.violations).toEqual([]);
  });

  it('continues a session whose page died without pagehide: no second initialized', async () => {
    const lms = fakeLms();
    const url = lms.launch();
    const session = memoryStore();
    const storage = memoryStore();
    await open(lms, url, storage, session).start(course); // then the tab crashed
    await until(() => lms.statements.length === 1);
    const again = open(lms, url, storage, session);
    expect(((await again.start(course)) as StartInfo).mode).toBe('normal');
    again.setProgress(1, true);
    await again.exit();
    expect(lms.verbs()).toEqual(['initialized', 'completed', 'terminated']);
    expect(lms.violations).toEqual([]);
  });

  it('reads learner preferences', async () => {
    const lms = fakeLms({}, { languagePreference: 'en-US,fr-FR', audioPreference: 'off' });
    const a = open(lms);
    await a.start(course);
    expect(a.preferences()).toEqual({ languagePreference: 'en-US,fr-FR', audioPreference: 'off' });
    await a.exit();
  });

  it('accepts only an http(s) returnURL: anything else gives no way out rather than script in the LMS origin', async () => {
    for (const url of ['javascript:alert(document.cookie)', ' JavaScript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', 'file:///etc/passwd', 'http://[bad']) {
      const lms = fakeLms({ returnURL: url });
      const a = open(lms);
      await a.start(course);
      expect(a.launchData()?.returnURL, url).toBe('');
      await a.exit();
    }
    const lms = fakeLms({ returnURL: 'http://lms.example.com/back?to=5' });
    const a = open(lms);
    await a.start(course);
    expect(a.launchData()?.returnURL).toBe('http://lms.example.com/back?to=5');
    await a.exit();
    // Relative to the page (an LMS on the same host) is fine once resolved to http(s).
    expect(safeReturnUrl('/course/5', 'https://lms.example.com/player/')).toBe('/course/5');
    expect(safeReturnUrl('javascript:void(0)', 'https://lms.example.com/player/')).toBe('');
  });

  it('runs on this browser when the fetch URL gives no token (used already) or the launch is incomplete', async () => {
    const lms = fakeLms();
    const url = lms.launch();
    await open(lms, url).start(course); // takes the token
    const other = open(lms, url); // another tab, no sessionStorage of the first
    expect(await other.start(course)).toMatchObject({ storage: 'browser' });
    const bare = createCmi5Adapter({ url: 'https://cdn.example.com/c/index.html?endpoint=https://lms.example.com/lrs', fetch: lms.fetch, storage: memoryStore(), session: memoryStore() });
    expect(await bare.start(course)).toMatchObject({ storage: 'browser' });
  });
});
