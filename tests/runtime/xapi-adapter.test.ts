/**
 * The xAPI (Tin Can) adapter through whole sessions, against an in-memory LRS behind a fake
 * fetch: the network boundary is the only thing replaced.
 */
import { describe, expect, it } from 'vitest';
import validation from 'xapi-validation';
import { createXapiAdapter, type XapiAdapterOptions } from '../../src/runtime/adapters/xapi.ts';
import type { AdapterStatus, LmsAdapter, StartInfo } from '../../src/runtime/adapters/types.ts';
import { encodeState, freshState } from '../../src/runtime/state.ts';
import { makeCourse, records, memoryStore } from './fixtures.ts';

/** Learning Locker's statement validator (a CommonJS module: its function is `default` under Node's ESM). */
const validate: (s: unknown) => { name: string; path: string[] }[] = (validation as any).default ?? validation;

const course = makeCourse();
const REG = 'ec531277-b57b-4c15-8d91-d292c5b2b8f7';
const actor = { objectType: 'Agent', account: { homePage: 'https://lms.example.com', name: 'u42' }, name: 'Jo Learner' };
const AUTH = 'Basic bHJzOnNlY3JldA==';

interface Request {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  keepalive?: boolean;
}

/** A small LRS: statements (409 for known ids, as ADL's), State and Agent Profile documents. */
function memoryLrs(base = 'https://lrs.example.com/xapi/') {
  const statements: any[] = [];
  const documents = new Map<string, string>();
  const requests: Request[] = [];
  let outage: ((r: Request) => number | 'network' | undefined) | null = null;
  const docKey = (u: URL, id: string) =>
    [u.pathname, u.searchParams.get('activityId'), JSON.parse(u.searchParams.get('agent') || '{}').account?.name, u.searchParams.get('registration'), u.searchParams.get(id)].join('|');
  const fetch = async (input: string, init: RequestInit = {}): Promise<Response> => {
    const r: Request = { method: init.method || 'GET', url: new URL(input), headers: (init.headers || {}) as any, body: init.body as string, keepalive: init.keepalive };
    requests.push(r);
    await new Promise((res) => setTimeout(res, 1));
    const out = outage?.(r);
    if (out === 'network') throw new TypeError('Failed to fetch');
    if (out) return new Response('', { status: out });
    if (!r.url.href.startsWith(base)) return new Response('', { status: 404 });
    if (r.headers['X-Experience-API-Version'] !== '1.0.3') return new Response('version', { status: 400 });
    if (r.headers.Authorization !== AUTH) return new Response('', { status: 401 });
    const path = r.url.href.slice(base.length).split('?')[0];
    if (path === 'statements' && r.method === 'POST') {
      const list = JSON.parse(r.body!);
      if (list.some((s: any) => statements.some((x) => x.id === s.id))) return new Response('', { status: 409 });
      if (list.some((s: any) => validate(s).length)) return new Response('invalid', { status: 400 });
      statements.push(...list);
      return Response.json(list.map((s: any) => s.id));
    }
    const id = path === 'activities/state' ? 'stateId' : path === 'agents/profile' ? 'profileId' : '';
    if (!id) return new Response('', { status: 404 });
    const key = docKey(r.url, id);
    if (r.method === 'GET') return documents.has(key) ? new Response(documents.get(key), { headers: { 'Content-Type': 'application/json' } }) : new Response('', { status: 404 });
    documents.set(key, r.body!);
    return new Response(null, { status: 204 });
  };
  const stateDoc = (activityId: string) => {
    const v = [...documents.entries()].find(([k]) => k.startsWith(`/xapi/activities/state|${activityId}|u42|${REG}|coursepack-state`));
    return v ? JSON.parse(v[1]) : null;
  };
  return { fetch, statements, requests, stateDoc, setOutage: (f: typeof outage) => (outage = f), documents };
}

const launchUrl = (extra: Record<string, string> = {}) =>
  'https://cdn.example.com/c/index.html?' +
  new URLSearchParams({ endpoint: 'https://lrs.example.com/xapi', auth: AUTH, actor: JSON.stringify(actor), registration: REG, activity_id: course.id, ...extra });

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 2));
  }
}

function adapter(lrs: ReturnType<typeof memoryLrs>, storage = memoryStore(), more: XapiAdapterOptions = {}) {
  const status: AdapterStatus[] = [];
  const a = createXapiAdapter({ url: launchUrl(), fetch: lrs.fetch, storage, saveDelayMs: 5, baseDelayMs: 5, ...more });
  a.onStatus((s) => status.push(s));
  return { a, status, storage };
}

const verbs = (lrs: ReturnType<typeof memoryLrs>) => lrs.statements.map((s) => s.verb.id.split('/').pop());
const settle = (lrs: ReturnType<typeof memoryLrs>, n: number) => until(() => lrs.statements.length >= n);

async function firstSession(lrs: ReturnType<typeof memoryLrs>, storage = memoryStore()) {
  const { a, status } = adapter(lrs, storage);
  const info = (await a.start(course)) as StartInfo;
  a.saveState('overview', 'cp1:one');
  a.saveState('lesson-1', 'cp1:two');
  a.saveState('lesson-1', 'cp1:three'); // same page, an answer: no second "experienced"
  records.forEach((r) => a.recordInteraction(r));
  a.setScore(85, 0, 100, true);
  a.setProgress(1, true);
  a.commit();
  a.finish('suspend');
  await settle(lrs, 3 + records.length + 4);
  await until(() => lrs.stateDoc(course.id)?.state === 'cp1:three');
  return { a, info, status };
}

describe('xAPI adapter', () => {
  it('plays a whole first session: valid statements in order, state in the State resource', async () => {
    const lrs = memoryLrs();
    const { info, status } = await firstSession(lrs);
    expect(info).toEqual({ learnerId: 'https://lms.example.com|u42', learnerName: 'Jo Learner', state: '', bookmark: '', mode: 'normal', storage: 'lms' });
    expect(verbs(lrs)).toEqual([
      'initialized',
      'experienced',
      'experienced',
      ...records.map(() => 'answered'),
      'passed',
      'completed',
      'suspended',
      'terminated',
    ]);
    for (const s of lrs.statements) {
      expect(validate(s), s.verb.id).toEqual([]);
      expect(s.actor).toEqual(actor);
      expect(s.context).toMatchObject({ registration: REG, platform: 'coursepack', language: 'en' });
    }
    const [init, overview, lesson] = lrs.statements;
    expect(init.object).toEqual({ objectType: 'Activity', id: course.id, definition: { type: 'http://adlnet.gov/expapi/activities/course', name: { en: 'Test course' } } });
    expect(overview.object.id).toBe(`${course.id}/pages/overview`);
    expect(overview.context.contextActivities).toEqual({ parent: [init.object] });
    expect(lesson.context.contextActivities.parent[0].id).toBe(`${course.id}/modules/m1`);
    expect(lesson.context.contextActivities.grouping).toEqual([{ objectType: 'Activity', id: course.id }]);
    const answered = lrs.statements.find((s) => s.object.id === `${course.id}/interactions/ex-multi`);
    expect(answered.result).toEqual({ response: 'a[,]d', success: false, duration: 'PT4.5S' });
    expect(answered.object.definition.correctResponsesPattern).toEqual(['a[,]c']);
    expect(answered.context.contextActivities.parent[0].id).toBe(`${course.id}/pages/final-exam`);
    const passed = lrs.statements.find((s) => s.verb.id.endsWith('passed'));
    expect(passed.result).toMatchObject({ score: { scaled: 0.85, raw: 85, min: 0, max: 100 }, success: true });
    expect(passed.result.duration).toMatch(/^PT/);
    const times = lrs.statements.map((s) => Date.parse(s.timestamp));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(new Set(times).size).toBe(times.length);
    expect(lrs.stateDoc(course.id)).toMatchObject({ v: 1, location: 'lesson-1', state: 'cp1:three', verdicts: ['passed', 'completed'] });
    expect(status).toEqual([]);
  });

  it('sends every request with the version header and the launch credentials, to the endpoint without its slash', async () => {
    const lrs = memoryLrs();
    await firstSession(lrs);
    for (const r of lrs.requests) {
      expect(r.url.href.startsWith('https://lrs.example.com/xapi/')).toBe(true);
      expect(r.headers).toMatchObject({ 'X-Experience-API-Version': '1.0.3', Authorization: AUTH });
    }
    expect(lrs.requests.filter((r) => r.keepalive).length).toBeGreaterThan(0); // the pagehide flush
  });

  it('resumes from the State resource and never repeats a verdict, even from another browser', async () => {
    const lrs = memoryLrs();
    await firstSession(lrs);
    const before = lrs.statements.length;
    const { a } = adapter(lrs, memoryStore()); // another device: nothing local
    const info = (await a.start(course)) as StartInfo;
    expect(info).toMatchObject({ state: 'cp1:three', bookmark: 'lesson-1', storage: 'lms' });
    a.setScore(90, 0, 100, true);
    a.setProgress(1, true);
    a.saveState('lesson-1', 'cp1:four');
    a.finish('suspend');
    await settle(lrs, before + 5);
    expect(verbs(lrs).slice(before)).toEqual(['initialized', 'resumed', 'experienced', 'suspended', 'terminated']);
  });

  it('reports failed, then passed once the learner passes, and nothing more', async () => {
    const lrs = memoryLrs();
    const { a } = adapter(lrs);
    await a.start(course);
    a.setScore(40, 0, 100, false);
    a.setScore(60, 0, 100, false);
    a.setScore(90, 0, 100, true);
    a.setScore(100, 0, 100, true);
    a.finish('normal');
    await settle(lrs, 4);
    expect(verbs(lrs)).toEqual(['initialized', 'failed', 'passed', 'terminated']);
    expect(lrs.statements[1].result.score.scaled).toBe(0.4);
  });

  it('keeps statements while the LRS is down, tells the player, and delivers them when it is back', async () => {
    const lrs = memoryLrs();
    lrs.setOutage(() => 503);
    const storage = memoryStore();
    const device = encodeState({ ...freshState(), bookmark: 'lesson-1', visited: ['overview', 'lesson-1'], updated: 1000 });
    storage.setItem(`cp:${course.id}:https://lms.example.com|u42`, device);
    const { a, status } = adapter(lrs, storage);
    const info = (await a.start(course)) as StartInfo;
    expect(info.state).toBe(device); // resumed from this device's copy, not from nothing
    a.saveState('lesson-1', 'cp1:offline');
    a.commit();
    await until(() => status.some((s) => !s.ok));
    expect(lrs.statements).toEqual([]);
    expect(lrs.stateDoc(course.id)).toBeNull();
    lrs.setOutage(null);
    await settle(lrs, 2);
    await until(() => lrs.stateDoc(course.id)?.state === 'cp1:offline');
    expect(verbs(lrs)).toEqual(['initialized', 'experienced']);
    await until(() => status[status.length - 1].ok);
  });

  it('does not overwrite a newer state it could not read at launch', async () => {
    const lrs = memoryLrs();
    const storage = memoryStore();
    const newer = encodeState({ ...freshState(), bookmark: 'capstone', updated: 5000 });
    const older = encodeState({ ...freshState(), bookmark: 'overview', updated: 1000 });
    lrs.documents.set(`/xapi/activities/state|${course.id}|u42|${REG}|coursepack-state`, JSON.stringify({ v: 1, location: 'capstone', state: newer, verdicts: [] }));
    storage.setItem(`cp:${course.id}:https://lms.example.com|u42`, older);
    let reads = 0;
    lrs.setOutage((r) => (r.method === 'GET' && reads++ < 2 ? 'network' : undefined));
    const { a, status } = adapter(lrs, storage);
    expect(((await a.start(course)) as StartInfo).state).toBe(older);
    a.saveState('overview', 'cp1:stale');
    a.commit();
    await until(() => status.some((s) => s.code?.includes('state-conflict')));
    expect(lrs.stateDoc(course.id).state).toBe(newer);
  });

  it('runs on this browser alone when the launch gave no endpoint or actor', async () => {
    const a: LmsAdapter = createXapiAdapter({ url: 'https://cdn.example.com/c/index.html', fetch: () => Promise.reject(new Error('no network')) });
    expect(await a.start(course)).toMatchObject({ storage: 'browser', mode: 'normal' });
    expect(a.limits.stateChars).toBeGreaterThan(64_000);
  });

  it('closing the tab (hidden, then pagehide): keepalive batches in order, terminated accepted, all stored once', async () => {
    const lrs = memoryLrs();
    const posts: { status: number; verbs: string[]; keepalive: boolean }[] = [];
    const fetch = async (input: string, init?: RequestInit) => {
      const res = await lrs.fetch(input, init);
      if (init?.method === 'POST') posts.push({ status: res.status, verbs: JSON.parse(String(init.body)).map((x: any) => x.verb.id.split('/').pop()), keepalive: !!init.keepalive });
      return res;
    };
    let hidden = false;
    const { a } = adapter(lrs, memoryStore(), { fetch, hidden: () => hidden });
    await a.start(course);
    a.saveState('lesson-1', 'cp1:x');
    records.slice(0, 2).forEach((r) => a.recordInteraction(r)); // a plain POST is on its way…
    hidden = true;
    a.recordInteraction(records[2]); // …when the tab is hidden: kept for the keepalive batch
    a.commit(); // visibilitychange → hidden: the player saves and commits
    a.finish('suspend'); // pagehide, at once
    await settle(lrs, 7);
    await new Promise((r) => setTimeout(r, 30));
    expect(verbs(lrs)).toEqual(['initialized', 'experienced', 'answered', 'answered', 'answered', 'suspended', 'terminated']);
    // The closing keepalive request carries everything not yet confirmed, in order, so it can
    // never overtake the plain request still on its way. This LRS answers like ADL's: 409 for a
    // batch holding an id it has, so the queue kept the batch and stored the rest one by one.
    const closing = posts.find((p) => p.verbs.includes('terminated'))!;
    expect(closing.keepalive).toBe(true);
    expect(closing.verbs.slice(-2)).toEqual(['suspended', 'terminated']);
    expect(closing.verbs).toEqual(expect.arrayContaining(['answered']));
    for (const p of posts.filter((x) => x.status !== 200)) expect(p.status).toBe(409);
    expect(new Set(lrs.statements.map((x) => x.id)).size).toBe(lrs.statements.length);
    expect(lrs.requests.some((r) => r.keepalive && r.url.pathname === '/xapi/activities/state')).toBe(true);
  });

  it('sends nothing after finish', async () => {
    const lrs = memoryLrs();
    const { a } = adapter(lrs);
    await a.start(course);
    a.finish('normal');
    a.saveState('overview', 'cp1:late');
    a.recordInteraction(records[0]);
    a.setProgress(1, true);
    await new Promise((r) => setTimeout(r, 30));
    expect(verbs(lrs)).toEqual(['initialized', 'terminated']);
  });
});
