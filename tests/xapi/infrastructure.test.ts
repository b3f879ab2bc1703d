/**
 * The xAPI / cmi5 test kit itself (tests/support/lrs): the real LRS, the LMS stand-in in front of
 * it, and the cmi5 rules. No course runtime is involved: a tiny hand-written package is launched,
 * and statements are made here, so each check can be seen to fail on a bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import {
  chromiumAvailable, correctAnswer, expectedResult, launchBrowser, startStaticServer, truthOf, wrongAnswer, type StaticServer
} from '../support/browser/index.ts';
import { compileCourse } from '../../src/compile/compile.ts';
import type { CompiledCourse, Question } from '../../src/model.ts';
import { SAMPLE_COURSE } from '../support/course.ts';
import { answeredProblems, envelopeProblems, experiencedProblems, outOfOrder, type Answers, type Given } from './answers.ts';
import {
  CMI5, VERBS, checkCmi5, errors, formatInvalid, moveOnSatisfied, readCmi5Xml, readTinCanXml, startLaunchServer, startLrs,
  validateStatements, warnings, type Agent, type Cmi5Launch, type Lrs, type StandIn, type Statement, type TinCanLaunch
} from '../support/lrs/index.ts';

const COURSE_ID = 'https://example.test/courses/infra';
const AU_ID = 'https://example.test/courses/infra/au-1';
const MASTERY = 0.8;

const TINCAN_XML = `<?xml version="1.0" encoding="utf-8"?>
<tincan xmlns="http://projecttincan.com/tincan.xsd">
  <activities>
    <activity id="${COURSE_ID}/module" type="http://adlnet.gov/expapi/activities/module"><name>Module</name></activity>
    <activity id="${COURSE_ID}" type="http://adlnet.gov/expapi/activities/course">
      <name>Infra</name>
      <description lang="en-US">A package for the kit's own tests.</description>
      <launch lang="en-US">index.html</launch>
    </activity>
  </activities>
</tincan>
`;

const CMI5_XML = `<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="${COURSE_ID}">
    <title><langstring lang="en">Infra</langstring></title>
    <description><langstring lang="en">A package for the kit's own tests.</langstring></description>
  </course>
  <au id="${AU_ID}" moveOn="CompletedAndPassed" masteryScore="${MASTERY}" launchMethod="AnyWindow">
    <title><langstring lang="en">The AU</langstring></title>
    <description><langstring lang="en">The only AU.</langstring></description>
    <launchParameters>{"flavour":"plain &amp; simple"}</launchParameters>
    <url>index.html?lang=en&amp;theme=dark</url>
  </au>
</courseStructure>
`;

const learner: Agent = { objectType: 'Agent', name: 'Learner One', account: { homePage: 'https://lms.coursepack.test', name: 'learner-1' } };
const other: Agent = { objectType: 'Agent', account: { homePage: 'https://lms.coursepack.test', name: 'learner-2' } };

let lrs: Lrs;
let lms: StandIn;
let server: StaticServer;
let dir: string;
let pkg: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coursepack-xapi-infra-'));
  await writeFile(join(dir, 'tincan.xml'), TINCAN_XML);
  await writeFile(join(dir, 'cmi5.xml'), CMI5_XML);
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>AU</title><p>AU</p>');
  server = await startStaticServer({ '/pkg/': dir });
  pkg = `${server.origin}/pkg/`;
  lrs = await startLrs();
  lms = await startLaunchServer({ lrs, origins: [server.origin] });
});

afterAll(async () => {
  await lms?.close();
  await lrs?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A request to the stand-in as the course would make it (Origin of the course server). */
async function call(
  path: string,
  init: { method?: string; auth?: string | null; body?: unknown; headers?: Record<string, string>; version?: string | null } = {},
): Promise<Response> {
  const headers: Record<string, string> = { origin: server.origin, ...(init.headers ?? {}) };
  if (init.auth) headers.authorization = init.auth;
  if (init.version !== null) headers['x-experience-api-version'] = init.version ?? '1.0.3';
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  return fetch(new URL(path, lms.endpoint), { method: init.method ?? 'GET', headers, body });
}

const stateUrl = (q: { activityId: string; agent: Agent; stateId?: string; registration?: string }) => {
  const p = new URLSearchParams({ activityId: q.activityId, agent: JSON.stringify(q.agent) });
  if (q.registration) p.set('registration', q.registration);
  if (q.stateId) p.set('stateId', q.stateId);
  return `activities/state?${p}`;
};

const statement = (verb: string, registration: string, extra: Partial<Statement> = {}) => ({
  id: randomUUID(),
  actor: learner,
  verb: { id: `http://adlnet.gov/expapi/verbs/${verb}`, display: { 'en-US': verb } },
  object: { objectType: 'Activity', id: COURSE_ID },
  context: { registration },
  timestamp: new Date().toISOString(),
  ...extra,
});

function problemsSince(n: number): string[] {
  return lms.problems.slice(n);
}

describe('the LRS (Learning Locker xapi-statements)', () => {
  it('answers on 127.0.0.1 only', async () => {
    const about = await fetch(`${lrs.endpoint}about`);
    expect(about.status).toBe(200);
    expect((await about.json()).version).toContain('1.0.3');
    const outside = Object.values(networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4');
    if (outside) {
      const reached = await fetch(`http://${outside.address}:${lrs.port}/xAPI/about`).then(() => true, () => false);
      expect(reached, `the LRS answers on ${outside.address}`).toBe(false);
    }
  });

  it('stores statements and gives them back in stored order, paging through `more`', async () => {
    const registration = randomUUID();
    const sent = Array.from({ length: 7 }, (_, i) => statement(`v${i}`, registration));
    const ids = await lrs.post(sent.slice(0, 4));
    ids.push(...(await lrs.post(sent.slice(4))));
    expect(ids).toEqual(sent.map((s) => s.id));
    const back = await lrs.statements({ registration }, 3);
    expect(back.map((s) => s.id)).toEqual(sent.map((s) => s.id));
    const byAgent = await lrs.statements({ agent: learner, registration }, 2);
    expect(byAgent).toHaveLength(7);
    expect(await lrs.statements({ registration: randomUUID() })).toEqual([]);
  });

  it('keeps a statement once when it is sent again, and refuses a different one with the same id (409)', async () => {
    const registration = randomUUID();
    const s = statement('experienced', registration);
    await lrs.post([s]);
    await lrs.post([s]);
    expect(await lrs.statements({ registration })).toHaveLength(1);
    await expect(lrs.post([{ ...s, verb: { id: 'http://adlnet.gov/expapi/verbs/other' } }])).rejects.toThrow(/409/);
  });
});

describe('the LMS stand-in: Tin Can launch and statements', () => {
  let launch: TinCanLaunch;
  const registration = randomUUID();

  beforeAll(async () => {
    launch = await lms.tinCanLaunch(pkg, { actor: learner, registration });
  });

  it('reads the course activity of tincan.xml and puts the launch parameters in the URL', () => {
    expect(readTinCanXml(TINCAN_XML).map((a) => a.activityId)).toEqual([COURSE_ID]);
    const url = new URL(launch.url);
    expect(url.origin + url.pathname).toBe(`${pkg}index.html`);
    expect(url.searchParams.get('endpoint')).toBe(lms.endpoint);
    expect(url.searchParams.get('auth')).toMatch(/^Basic [A-Za-z0-9+/=]+$/);
    expect(JSON.parse(url.searchParams.get('actor')!)).toEqual(learner);
    expect(url.searchParams.get('registration')).toBe(registration);
    expect(url.searchParams.get('activity_id')).toBe(COURSE_ID);
  });

  it('forwards a statement to the LRS, which stores it; GET through the stand-in finds it', async () => {
    const s = statement('experienced', registration);
    const res = await call('statements', { method: 'POST', auth: launch.auth, body: [s] });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(server.origin);
    expect(await res.json()).toEqual([s.id]);
    const stored = await lrs.statements({ registration });
    expect(stored.map((x) => x.id)).toEqual([s.id]);
    expect(stored[0].verb).toEqual(s.verb);
    const put = statement('progressed', registration);
    const r2 = await call(`statements?statementId=${put.id}`, { method: 'PUT', auth: launch.auth, body: put });
    expect(r2.status).toBe(204);
    const got = await call(`statements?registration=${registration}&ascending=true`, { auth: launch.auth });
    expect(got.status).toBe(200);
    expect(((await got.json()).statements as Statement[]).map((x) => x.id)).toEqual([s.id, put.id]);
    const record = lms.requests.find((r) => r.method === 'POST' && r.statements?.[0]?.id === s.id);
    expect(record?.launch).toBe(launch.id);
  });

  it('answers CORS preflights for the course origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${lms.endpoint}statements`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-experience-api-version' },
      });
    const ok = await preflight(server.origin);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(server.origin);
    expect(ok.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
    expect(ok.headers.get('access-control-allow-methods')).toMatch(/PUT/);
    const before = lms.problems.length;
    const bad = await preflight('http://127.0.0.1:1');
    expect(bad.headers.get('access-control-allow-origin')).toBeNull();
    expect(problemsSince(before).join('\n')).toMatch(/origin http:\/\/127\.0\.0\.1:1 is not allowed/);
  });

  it('refuses credentials it did not issue (401) and a missing version header (400), and lists them as problems', async () => {
    const before = lms.problems.length;
    expect((await call('statements', { method: 'POST', auth: null, body: [statement('x', registration)] })).status).toBe(401);
    const forged = 'Basic ' + Buffer.from('someone:else').toString('base64');
    expect((await call('statements', { method: 'POST', auth: forged, body: [statement('x', registration)] })).status).toBe(401);
    expect((await call(stateUrl({ activityId: COURSE_ID, agent: learner, stateId: 's' }), { auth: launch.auth, version: null })).status).toBe(400);
    expect(problemsSince(before)).toHaveLength(3);
    expect(await lrs.statements({ registration, verb: 'http://adlnet.gov/expapi/verbs/x' })).toEqual([]);
  });

  it('passes the LRS refusal of an invalid statement through, as a problem', async () => {
    const before = lms.problems.length;
    const res = await call('statements', { method: 'POST', auth: launch.auth, body: [{ ...statement('x', registration), actor: { mbox: 'not-an-email' } }] });
    expect(res.status).toBe(400);
    expect(problemsSince(before).join('\n')).toMatch(/the LRS answered 400/);
  });

  it('in a real browser page of the course origin: CORS lets a statement POST and a State PUT through', async (ctx) => {
    if (!chromiumAvailable()) ctx.skip();
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(`${pkg}index.html`);
      const s = statement('experienced', registration);
      const result = await page.evaluate(
        async ({ endpoint, auth, s, stateUrl }) => {
          const headers = { authorization: auth, 'x-experience-api-version': '1.0.3', 'content-type': 'application/json' };
          const a = await fetch(endpoint + 'statements', { method: 'POST', headers, body: JSON.stringify([s]) });
          const b = await fetch(endpoint + stateUrl, { method: 'PUT', headers, body: JSON.stringify({ page: 'p2' }) });
          const c = await fetch(endpoint + stateUrl, { headers });
          return [a.status, b.status, c.status, await c.text(), c.headers.get('etag')];
        },
        { endpoint: lms.endpoint, auth: launch.auth, s, stateUrl: stateUrl({ activityId: COURSE_ID, agent: learner, stateId: 'bookmark', registration }) },
      );
      expect(result.slice(0, 4)).toEqual([200, 204, 200, '{"page":"p2"}']);
      expect(result[4]).toBe(`"${createHash('sha1').update('{"page":"p2"}').digest('hex')}"`);
      expect((await lrs.statements({ registration })).map((x) => x.id)).toContain(s.id);
      expect(browser.problems.map((p) => p.text)).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('the LMS stand-in: State and Agent Profile resources', () => {
  const auth = async () => (await lms.tinCanLaunch(pkg, { actor: learner, registration: randomUUID() })).auth;

  it('State: PUT, GET, POST merges top-level properties, ids, DELETE; scoped by registration', async () => {
    const a = await auth();
    const registration = randomUUID();
    const q = { activityId: COURSE_ID, agent: learner, registration, stateId: 'resume' };
    expect((await call(stateUrl(q), { auth: a })).status).toBe(404);
    expect((await call(stateUrl(q), { method: 'PUT', auth: a, body: { x: 'foo', y: 'bar', nested: { a: 1, b: 2 } } })).status).toBe(204);
    const got = await call(stateUrl(q), { auth: a });
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual({ x: 'foo', y: 'bar', nested: { a: 1, b: 2 } });
    expect((await call(stateUrl(q), { method: 'POST', auth: a, body: { x: 'bash', z: 'faz', nested: { c: 3 } } })).status).toBe(204);
    expect(await (await call(stateUrl(q), { auth: a })).json()).toEqual({ x: 'bash', y: 'bar', z: 'faz', nested: { c: 3 } });
    expect(lms.state(q)?.json).toEqual({ x: 'bash', y: 'bar', z: 'faz', nested: { c: 3 } });
    // The same state id without the registration, or with another one, is another document.
    expect((await call(stateUrl({ ...q, registration: undefined }), { auth: a })).status).toBe(404);
    expect((await call(stateUrl({ ...q, registration: randomUUID() }), { auth: a })).status).toBe(404);
    await call(stateUrl({ ...q, stateId: 'other' }), { method: 'PUT', auth: a, body: 'plain text', headers: { 'content-type': 'text/plain' } });
    const ids = await call(stateUrl({ ...q, stateId: undefined }), { auth: a });
    expect((await ids.json()).sort()).toEqual(['other', 'resume']);
    // Merging into a document that is not JSON is refused and changes nothing.
    const before = lms.problems.length;
    expect((await call(stateUrl({ ...q, stateId: 'other' }), { method: 'POST', auth: a, body: { k: 1 } })).status).toBe(400);
    expect(problemsSince(before)).toHaveLength(1);
    expect(await (await call(stateUrl({ ...q, stateId: 'other' }), { auth: a })).text()).toBe('plain text');
    expect((await call(stateUrl(q), { method: 'DELETE', auth: a })).status).toBe(204);
    expect((await call(stateUrl(q), { auth: a })).status).toBe(404);
    expect((await call(stateUrl({ ...q, stateId: undefined }), { method: 'DELETE', auth: a })).status).toBe(204);
    expect((await call(stateUrl({ ...q, stateId: 'other' }), { auth: a })).status).toBe(404);
    expect((await call(`activities/state?agent=${encodeURIComponent(JSON.stringify(learner))}&stateId=x`, { auth: a })).status).toBe(400);
  });

  it('Agent Profile: cmi5LearnerPreferences is 404 until set; PUT over it needs If-Match (409), with it 204', async () => {
    const a = await auth();
    const url = (agent: Agent) => `agents/profile?${new URLSearchParams({ agent: JSON.stringify(agent), profileId: CMI5.learnerPreferences })}`;
    expect((await call(url(other), { auth: a })).status).toBe(404);
    lms.setAgentProfile(other, CMI5.learnerPreferences, { languagePreference: 'fr-FR,en-US', audioPreference: 'off' });
    const got = await call(url(other), { auth: a });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await got.json()).toEqual({ languagePreference: 'fr-FR,en-US', audioPreference: 'off' });
    const etag = got.headers.get('etag')!;
    expect((await call(url(other), { method: 'PUT', auth: a, body: { audioPreference: 'on' } })).status).toBe(409);
    expect((await call(url(other), { method: 'PUT', auth: a, body: { audioPreference: 'on' }, headers: { 'if-match': '"0000"' } })).status).toBe(412);
    expect((await call(url(other), { method: 'PUT', auth: a, body: { audioPreference: 'on' }, headers: { 'if-match': etag } })).status).toBe(204);
    expect(lms.agentProfile(other, CMI5.learnerPreferences)?.json).toEqual({ audioPreference: 'on' });
  });
});

describe('the LMS stand-in: cmi5 launch and fetch', () => {
  let launch: Cmi5Launch;
  const registration = randomUUID();

  beforeAll(async () => {
    launch = await lms.cmi5Launch(pkg, { actor: learner, registration, returnURL: 'https://lms.coursepack.test/return' });
  });

  it('reads the AU of cmi5.xml and builds the §8.1 launch URL, keeping the AU URL’s own query', () => {
    expect(readCmi5Xml(CMI5_XML)).toMatchObject({ courseId: COURSE_ID, aus: [{ id: AU_ID, moveOn: 'CompletedAndPassed', masteryScore: MASTERY }] });
    const url = new URL(launch.url);
    expect(url.origin + url.pathname).toBe(`${pkg}index.html`);
    expect(url.searchParams.get('lang')).toBe('en');
    expect(url.searchParams.get('theme')).toBe('dark');
    expect(url.searchParams.get('endpoint')).toBe(lms.endpoint);
    expect(url.searchParams.get('fetch')).toBe(launch.fetchUrl);
    expect(JSON.parse(url.searchParams.get('actor')!)).toEqual(learner);
    expect(url.searchParams.get('registration')).toBe(registration);
    expect(url.searchParams.get('activityId')).toBe(launch.activityId);
    expect(launch.activityId, '§8.1.5: the LMS generates the AU activity id').not.toBe(AU_ID);
  });

  it('writes LMS.LaunchData (§10) before the launch: context template with a session id, launch mode, moveOn, masteryScore, returnURL', () => {
    const doc = lms.state({ activityId: launch.activityId, agent: learner, registration, stateId: 'LMS.LaunchData' });
    expect(doc?.contentType).toBe('application/json');
    expect(doc?.json).toEqual({
      contextTemplate: {
        contextActivities: { grouping: [{ objectType: 'Activity', id: AU_ID }] },
        extensions: { [CMI5.sessionId]: launch.sessionId },
      },
      launchMode: 'Normal',
      moveOn: 'CompletedAndPassed',
      masteryScore: MASTERY,
      returnURL: 'https://lms.coursepack.test/return',
      launchParameters: '{"flavour":"plain & simple"}',
    });
  });

  it('records a valid "launched" statement with the §9.6.3 extensions', async () => {
    const [launched] = await lrs.statements({ registration });
    expect(launched.id).toBe(launch.launchedStatementId);
    expect(launched.verb.id).toBe(VERBS.launched);
    expect(launched.context?.extensions).toMatchObject({
      [CMI5.sessionId]: launch.sessionId,
      [CMI5.launchMode]: 'Normal',
      [CMI5.moveOnExtension]: 'CompletedAndPassed',
      [CMI5.masteryScore]: MASTERY,
      [CMI5.launchUrl]: `${pkg}index.html?lang=en&theme=dark`,
    });
    expect(formatInvalid(validateStatements([launched]))).toBe('');
  });

  it('fetch: one POST returns the auth-token, which then works; a second POST is the §8.2.3 error; GET is refused', async () => {
    const first = await fetch(launch.fetchUrl, { method: 'POST', headers: { origin: server.origin } });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^application\/json/);
    expect(first.headers.get('access-control-allow-origin')).toBe(server.origin);
    const token = (await first.json())['auth-token'];
    expect(token).toMatch(/^[A-Za-z0-9+/=]+$/);
    const before = lms.problems.length;
    const second = await fetch(launch.fetchUrl, { method: 'POST' });
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ 'error-code': '1', 'error-text': 'The authorization token has already been returned.' });
    expect((await fetch(launch.fetchUrl)).status).toBe(405);
    expect(problemsSince(before)).toHaveLength(2);
    const res = await call(stateUrl({ activityId: launch.activityId, agent: learner, registration, stateId: 'LMS.LaunchData' }), { auth: `Basic ${token}` });
    expect(res.status).toBe(200);
    expect((await res.json()).launchMode).toBe('Normal');
    expect((await call(stateUrl({ activityId: launch.activityId, agent: learner, registration, stateId: 'x' }), { auth: token })).status, 'token without "Basic "').toBe(401);
    expect(launch.fetches).toBe(2);
  });

  it('overrides from the test: Browse mode, moveOn, no masteryScore, an endpoint without the trailing slash', async () => {
    const l = await lms.cmi5Launch(pkg, { actor: learner, registration, launchMode: 'Browse', moveOn: 'Completed', masteryScore: null, endpointWithoutSlash: true });
    expect(new URL(l.url).searchParams.get('endpoint')).toBe(lms.endpoint.replace(/\/$/, ''));
    expect(l.activityId, 'the same AU activity id on every launch of the AU').toBe(launch.activityId);
    expect(l.sessionId).not.toBe(launch.sessionId);
    const doc = lms.state({ activityId: l.activityId, agent: learner, registration, stateId: 'LMS.LaunchData' })?.json as Record<string, unknown>;
    expect(doc).toMatchObject({ launchMode: 'Browse', moveOn: 'Completed' });
    expect(doc).not.toHaveProperty('masteryScore');
  });
});

describe('the LMS stand-in: fault injection', () => {
  it('stop drops open connections and refuses new ones; restart listens on the same port with everything kept', async () => {
    const launch = await lms.tinCanLaunch(pkg, { actor: learner, registration: randomUUID() });
    const q = { activityId: COURSE_ID, agent: learner, stateId: 'kept', registration: launch.registration };
    await call(stateUrl(q), { method: 'PUT', auth: launch.auth, body: { kept: true } });
    // A keep-alive connection that stays open across the stop.
    const agent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
    const viaAgent = () =>
      new Promise<number>((ok, fail) => {
        const req = httpRequest(`${lms.endpoint}about`, { agent }, (res) => {
          res.resume();
          res.on('end', () => ok(res.statusCode ?? 0));
        });
        req.on('error', fail);
        req.end();
      });
    expect(await viaAgent()).toBe(200);
    let closed = false;
    const socket = Object.values(agent.freeSockets)[0]?.[0];
    socket?.on('close', () => (closed = true));
    await lms.stop();
    expect(lms.listening).toBe(false);
    await new Promise((r) => setTimeout(r, 50));
    expect(closed, 'the open keep-alive connection was dropped').toBe(true);
    await expect(fetch(`${lms.endpoint}about`)).rejects.toThrow();
    await lms.restart();
    expect(lms.listening).toBe(true);
    expect(await viaAgent()).toBe(200);
    const res = await call(stateUrl(q), { auth: launch.auth });
    expect(await res.json()).toEqual({ kept: true });
    agent.destroy();
  });

  it('answers 503 (with CORS) for the next N requests, or for a while, then works again', async () => {
    const launch = await lms.tinCanLaunch(pkg, { actor: learner, registration: randomUUID() });
    lms.unavailable({ requests: 2, retryAfter: 1 });
    const s = statement('experienced', launch.registration);
    const a = await call('statements', { method: 'POST', auth: launch.auth, body: [s] });
    expect(a.status).toBe(503);
    expect(a.headers.get('retry-after')).toBe('1');
    expect(a.headers.get('access-control-allow-origin')).toBe(server.origin);
    expect((await call('statements', { method: 'POST', auth: launch.auth, body: [s] })).status).toBe(503);
    expect(await lrs.statements({ registration: launch.registration })).toEqual([]);
    expect((await call('statements', { method: 'POST', auth: launch.auth, body: [s] })).status).toBe(200);
    lms.unavailable({ ms: 150, only: /^activities\/state$/ });
    const q = { activityId: COURSE_ID, agent: learner, stateId: 'x', registration: launch.registration };
    expect((await call(stateUrl(q), { auth: launch.auth })).status).toBe(503);
    expect((await call('about')).status, 'only the State resource is down').toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect((await call(stateUrl(q), { auth: launch.auth })).status).toBe(404);
    lms.unavailable();
    expect((await call('about')).status).toBe(503);
    lms.available();
    expect((await call('about')).status).toBe(200);
  });

  it('answers another status (500) when told to', async () => {
    const launch = await lms.tinCanLaunch(pkg, { actor: learner, registration: randomUUID() });
    lms.unavailable({ requests: 1, status: 500, only: /^statements$/ });
    const s = statement('experienced', launch.registration);
    expect((await call('statements', { method: 'POST', auth: launch.auth, body: [s] })).status).toBe(500);
    expect((await call('statements', { method: 'POST', auth: launch.auth, body: [s] })).status).toBe(200);
  });

  it('ADL-style resend conflicts: an id already stored makes the whole POST a 409, and nothing of it is stored', async () => {
    const launch = await lms.tinCanLaunch(pkg, { actor: learner, registration: randomUUID() });
    const s = statement('experienced', launch.registration);
    const fresh = statement('progressed', launch.registration);
    const before = lms.problems.length;
    lms.conflictOnResend(true);
    try {
      expect((await call('statements', { method: 'POST', auth: launch.auth, body: [s] })).status).toBe(200);
      expect((await call('statements', { method: 'POST', auth: launch.auth, body: [s] })).status).toBe(409);
      expect((await call('statements', { method: 'POST', auth: launch.auth, body: [s, fresh] })).status).toBe(409);
      expect((await lrs.statements({ registration: launch.registration })).map((x) => x.id)).toEqual([s.id]);
      expect((await call('statements', { method: 'POST', auth: launch.auth, body: [fresh] })).status).toBe(200);
      expect(problemsSince(before), 'an injected 409 is no problem of the client').toEqual([]);
    } finally {
      lms.conflictOnResend(false);
    }
    expect((await call('statements', { method: 'POST', auth: launch.auth, body: [s] })).status, 'Learning Locker: an identical resend is fine').toBe(200);
  });

  it('holds the statements requests that match until released; the others pass and overtake them', async () => {
    const launch = await lms.tinCanLaunch(pkg, { actor: learner, registration: randomUUID() });
    const a = statement('answered', launch.registration);
    const a2 = statement('answered', launch.registration);
    const b = statement('terminated', launch.registration);
    const slow = lms.holdStatements((list) => list.some((x) => x.verb.id.endsWith('/answered')));
    const first = call('statements', { method: 'POST', auth: launch.auth, body: [a] });
    expect((await slow.held).statements?.[0]?.id).toBe(a.id);
    const second = call('statements', { method: 'POST', auth: launch.auth, body: [a2] });
    expect((await call('statements', { method: 'POST', auth: launch.auth, body: [b] })).status).toBe(200);
    expect((await lrs.statements({ registration: launch.registration })).map((x) => x.id)).toEqual([b.id]);
    expect(slow.count()).toBe(2);
    slow.release();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    const stored = (await lrs.statements({ registration: launch.registration })).map((x) => x.id);
    expect(stored[0], 'the request that was not held is stored first').toBe(b.id);
    expect([...stored].sort()).toEqual([a.id, a2.id, b.id].sort());
    const after = statement('answered', launch.registration);
    expect((await call('statements', { method: 'POST', auth: launch.auth, body: [after] })).status, 'nothing is held after release').toBe(200);
  });

  it('answers slowly when told to, after having handled the request', async () => {
    const launch = await lms.tinCanLaunch(pkg, { actor: learner, registration: randomUUID() });
    lms.latency(300);
    try {
      const s = statement('experienced', launch.registration);
      const started = Date.now();
      const pending = call('statements', { method: 'POST', auth: launch.auth, body: [s] });
      await new Promise((r) => setTimeout(r, 150));
      expect((await lrs.statements({ registration: launch.registration })).map((x) => x.id), 'stored before the answer').toEqual([s.id]);
      expect((await pending).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    } finally {
      lms.latency(0);
    }
  });
});

describe('the LRS restarts on its port, keeping its statements', () => {
  it('restart() puts the stored statements back, in order', async () => {
    const registration = randomUUID();
    const sent = [statement('a', registration), statement('b', registration), statement('c', registration)];
    await lrs.post(sent);
    const port = lrs.port;
    await lrs.restart();
    expect(lrs.port).toBe(port);
    expect((await lrs.statements({ registration })).map((s) => s.id)).toEqual(sent.map((s) => s.id));
  });
});

// ---- the cmi5 rules ------------------------------------------------------------------------------

describe('cmi5 rules (§9) and xAPI validity', () => {
  let normal: Cmi5Launch;
  let second: Cmi5Launch;
  let browse: Cmi5Launch;
  const registration = randomUUID();
  let clock = Date.parse('2026-01-01T10:00:00.000Z');

  beforeAll(async () => {
    normal = await lms.cmi5Launch(pkg, { actor: learner, registration });
    second = await lms.cmi5Launch(pkg, { actor: learner, registration });
    browse = await lms.cmi5Launch(pkg, { actor: learner, registration, launchMode: 'Browse' });
  });

  type Verb = 'initialized' | 'completed' | 'passed' | 'failed' | 'terminated' | 'answered' | 'experienced';

  /** A statement as a conforming AU makes it in launch `l`. */
  function make(l: Cmi5Launch, verb: Verb, patch: (s: any) => void = () => {}): Statement {
    const defined = ['initialized', 'completed', 'passed', 'failed', 'terminated'].includes(verb);
    const judged = ['completed', 'passed', 'failed'].includes(verb);
    const t = l.launchData.contextTemplate;
    const s: any = {
      id: randomUUID(),
      actor: l.actor,
      verb: { id: `http://adlnet.gov/expapi/verbs/${verb}`, display: { 'en-US': verb } },
      object: defined
        ? { objectType: 'Activity', id: l.activityId }
        : { objectType: 'Activity', id: `${COURSE_ID}/q1`, definition: { type: 'http://adlnet.gov/expapi/activities/cmi.interaction', interactionType: 'choice' } },
      context: {
        registration: l.registration,
        contextActivities: {
          grouping: [...(t.contextActivities?.grouping ?? [])],
          ...(defined ? { category: [{ id: CMI5.categoryCmi5 }, ...(judged ? [{ id: CMI5.categoryMoveOn }] : [])] } : {}),
        },
        extensions: {
          ...t.extensions,
          ...((verb === 'passed' || verb === 'failed') && l.launchData.masteryScore !== undefined ? { [CMI5.masteryScore]: l.launchData.masteryScore } : {}),
        },
      },
      timestamp: new Date((clock += 1000)).toISOString(),
    };
    if (verb === 'completed') s.result = { completion: true, duration: 'PT5M' };
    if (verb === 'passed') s.result = { success: true, score: { scaled: 0.9, raw: 9, min: 0, max: 10 }, duration: 'PT5M' };
    if (verb === 'failed') s.result = { success: false, score: { scaled: 0.5, raw: 5, min: 0, max: 10 }, duration: 'PT4M' };
    if (verb === 'terminated') s.result = { duration: 'PT6M' };
    if (verb === 'answered') s.result = { success: true, response: 'a', duration: 'PT5S' };
    patch(s);
    return s;
  }

  /** A good registration: a session failed, a session completed and passed, a Browse session. */
  function good(): Statement[] {
    return [
      make(normal, 'initialized'), make(normal, 'answered'), make(normal, 'failed'), make(normal, 'terminated'),
      make(second, 'initialized'), make(second, 'experienced'), make(second, 'completed'), make(second, 'passed'), make(second, 'terminated'),
      make(browse, 'initialized'), make(browse, 'experienced'), make(browse, 'terminated'),
    ];
  }
  const launches = () => [normal, second, browse];

  it('a conforming registration: no errors, no warnings, every statement valid xAPI, moveOn met', () => {
    const list = good();
    const v = checkCmi5(list, launches(), { claimedSatisfied: true });
    expect(errors(v)).toEqual([]);
    expect(warnings(v)).toEqual([]);
    expect(formatInvalid(validateStatements(list))).toBe('');
    expect(moveOnSatisfied(list, 'CompletedAndPassed', normal.activityId)).toBe(true);
    expect(moveOnSatisfied(list.filter((s) => !s.verb.id.endsWith('/passed')), 'CompletedAndPassed')).toBe(false);
    expect(moveOnSatisfied([], 'NotApplicable')).toBe(true);
  });

  const at = (list: Statement[], i: number, patch: (s: any) => void) => {
    patch(list[i]);
    return list;
  };
  const verbIndex = (list: Statement[], l: Cmi5Launch, verb: string) =>
    list.findIndex((s) => s.verb.id.endsWith('/' + verb) && s.context?.extensions?.[CMI5.sessionId] === l.sessionId);

  // Each case breaks one rule of a good registration; the checker must name that rule.
  const cases: { name: string; rule: string; build: () => Statement[]; options?: () => Parameters<typeof checkCmi5>[2] }[] = [
    { name: 'a statement before initialized', rule: '§9.3.2 initialized first (stored order)', build: () => { const l = good(); l.splice(4, 0, make(second, 'experienced')); return l; } },
    { name: 'initialized stamped after the next statement', rule: '§9.3.2 initialized first (timestamp order)', build: () => at(good(), 0, (s) => (s.timestamp = '2030-01-01T00:00:00.000Z')) },
    { name: 'a statement after terminated', rule: '§9.3.8 terminated last (stored order)', build: () => { const l = good(); l.splice(4, 0, make(normal, 'experienced')); return l; } },
    { name: 'no terminated', rule: '§9.3.8 terminated', build: () => good().filter((_, i) => i !== 3) },
    { name: 'two initialized in a session', rule: '§9.3.2 initialized', build: () => { const l = good(); l.splice(1, 0, make(normal, 'initialized')); return l; } },
    { name: 'completed twice in the registration', rule: '§9.3 completed once', build: () => { const l = good(); l.splice(2, 0, make(normal, 'completed')); return l; } },
    { name: 'passed twice in the registration', rule: '§9.3 passed once', build: () => { const l = good(); l.splice(2, 1, make(normal, 'passed')); return l; } },
    { name: 'failed after passed', rule: '§9.3 no failed after passed (stored order)', build: () => { const l = good(); l.splice(8, 0, make(second, 'failed')); return l; } },
    { name: 'passed and failed in one session', rule: '§9.3 passed or failed', build: () => { const l = good(); l.splice(6, 0, make(second, 'failed')); return l; } },
    { name: 'completed in Browse mode', rule: '§10.2.2 launchMode', build: () => { const l = good(); l.splice(10, 0, make(browse, 'completed')); return l; } },
    { name: 'completed without the cmi5 category', rule: '§7.1.3 cmi5 defined', build: () => at(good(), 6, (s) => (s.context.contextActivities.category = [{ id: CMI5.categoryMoveOn }])) },
    { name: 'passed without the moveOn category', rule: '§9.6.2.2 moveOn category', build: () => at(good(), 7, (s) => (s.context.contextActivities.category = [{ id: CMI5.categoryCmi5 }])) },
    { name: 'the moveOn category on initialized', rule: '§9.6.2.2 moveOn category', build: () => at(good(), 0, (s) => s.context.contextActivities.category.push({ id: CMI5.categoryMoveOn })) },
    { name: 'no session id', rule: '§9.6.3.1 session id', build: () => at(good(), 1, (s) => delete s.context.extensions[CMI5.sessionId]) },
    { name: 'a session id of no launch', rule: '§9.6.3.1 session id', build: () => at(good(), 1, (s) => (s.context.extensions[CMI5.sessionId] = randomUUID())) },
    { name: 'the publisher id missing from grouping', rule: '§10.2.1 context template', build: () => at(good(), 5, (s) => (s.context.contextActivities.grouping = [])) },
    { name: 'passed without the masteryScore extension', rule: '§9.6.3.2 masteryScore', build: () => at(good(), 7, (s) => delete s.context.extensions[CMI5.masteryScore]) },
    { name: 'a masteryScore extension other than LaunchData’s', rule: '§9.6.3.2 masteryScore', build: () => at(good(), 2, (s) => (s.context.extensions[CMI5.masteryScore] = 0.5)) },
    { name: 'passed below the masteryScore', rule: '§9.3.4 passed', build: () => at(good(), 7, (s) => (s.result.score = { scaled: 0.7 })) },
    { name: 'failed at the masteryScore', rule: '§9.3.5 failed', build: () => at(good(), 2, (s) => (s.result.score = { scaled: MASTERY })) },
    { name: 'terminated without duration', rule: '§9.5.4 duration', build: () => at(good(), 3, (s) => delete s.result.duration) },
    { name: 'completed without duration', rule: '§9.5.4 duration', build: () => at(good(), 6, (s) => delete s.result.duration) },
    { name: 'a score on completed', rule: '§9.5.1 score', build: () => at(good(), 6, (s) => (s.result.score = { scaled: 1 })) },
    { name: 'raw without min and max', rule: '§9.5.1 score', build: () => at(good(), 7, (s) => (s.result.score = { scaled: 0.9, raw: 9 })) },
    { name: 'success on completed', rule: '§9.5.2 success', build: () => at(good(), 6, (s) => (s.result.success = true)) },
    { name: 'passed with success false', rule: '§9.5.2 success', build: () => at(good(), 7, (s) => (s.result.success = false)) },
    { name: 'completion on terminated', rule: '§9.5.3 completion', build: () => at(good(), 3, (s) => (s.result.completion = true)) },
    { name: 'the object is the publisher id', rule: '§9.4 object', build: () => at(good(), 6, (s) => (s.object.id = AU_ID)) },
    { name: 'another actor', rule: '§8.1.3 actor', build: () => at(good(), 1, (s) => (s.actor = other)) },
    { name: 'another registration', rule: '§9.6.1 registration', build: () => at(good(), 1, (s) => (s.context.registration = randomUUID())) },
    { name: 'a timestamp not in UTC', rule: '§9.7 timestamp', build: () => at(good(), 1, (s) => (s.timestamp = '2026-01-01T12:00:00+02:00')) },
    { name: 'the AU sends launched', rule: '§9.3 LMS verbs', build: () => at(good(), 1, (s) => (s.verb = { id: VERBS.launched })) },
    { name: 'a statement id that is not a UUID', rule: '§9.1 statement id', build: () => at(good(), 1, (s) => (s.id = 'statement-1')) },
    { name: 'completed twice in one session', rule: '§9.3 no duplicate verbs', build: () => { const l = good(); l.splice(7, 0, make(second, 'completed')); return l; } },
    { name: 'a launch the AU never initialised', rule: '§7.1.1 initialized', build: () => good().slice(0, 9) },
    { name: 'terminated stamped before the last statement', rule: '§9.3.8 terminated last (timestamp order)', build: () => at(good(), 8, (s) => (s.timestamp = '2025-12-31T23:59:59.000Z')) },
    { name: 'failed stamped after passed', rule: '§9.3 no failed after passed (timestamp order)', build: () => at(good(), 2, (s) => (s.timestamp = '2030-01-01T00:00:00.000Z')) },
    { name: 'progress out of range', rule: '§9.5.5.1 progress', build: () => at(good(), 0, (s) => (s.result = { extensions: { [CMI5.progress]: 150 } })) },
    { name: 'an actor without an account', rule: '§9.2 actor', build: () => at(good(), 0, (s) => (s.actor = { objectType: 'Agent', mbox: 'mailto:learner@example.test' })) },
    { name: 'the cmi5 category on another verb', rule: '§7.1.3 cmi5 defined', build: () => at(good(), 1, (s) => (s.context.contextActivities.category = [{ id: CMI5.categoryCmi5 }])) },
    { name: 'the course claims done, moveOn CompletedAndPassed not met', rule: '§13.1.4 moveOn', build: () => good().filter((s) => !s.verb.id.endsWith('/passed')), options: () => ({ claimedSatisfied: true }) },
  ];

  it.each(cases)('flags: $name', ({ rule, build, options }) => {
    const list = build();
    const v = checkCmi5(list, launches(), options?.());
    const found = v.filter((x) => x.rule === rule && x.severity === 'error');
    expect(found.length, `expected an error "${rule}"; got:\n${v.map((x) => `${x.rule}: ${x.message}`).join('\n')}`).toBeGreaterThan(0);
  });

  it('a session left without terminated is fine when it was abandoned, but late statements of it are a warning', () => {
    const l = good();
    const term = verbIndex(l, normal, 'terminated');
    const answered = l.splice(1, 1)[0];
    l.splice(term - 1, 1); // no terminated in the first session
    l.splice(6, 0, answered); // and its answer arrives during the second one
    const v = checkCmi5(l, launches(), { abandoned: [normal.sessionId] });
    expect(errors(v)).toEqual([]);
    expect(warnings(v).join('\n')).toMatch(/§9\.3\.6 abandoned session: .*answered/);
    expect(errors(checkCmi5(l, launches())).join('\n')).toMatch(/no terminated statement/);
  });

  it('the "launched" statement of the stand-in is not held to the AU’s rules', async () => {
    const launched = (await lrs.statements({ registration })).filter((s) => s.verb.id === VERBS.launched);
    expect(launched).toHaveLength(3);
    const list = [launched[0], ...good().slice(0, 4)];
    expect(errors(checkCmi5(list, [normal]))).toEqual([]);
  });

  it('validateStatements names what xapi-validation finds wrong, and passes what is right', () => {
    const ok = make(normal, 'answered');
    const bad = [
      { ...make(normal, 'answered'), actor: { mbox: 'learner@example.test' } },
      at([make(normal, 'passed')], 0, (s) => (s.result.score.scaled = 2))[0],
      at([make(normal, 'terminated')], 0, (s) => (s.result.duration = '6 minutes'))[0],
      { ...make(normal, 'answered'), id: 'not-a-uuid' },
      { ...make(normal, 'answered'), verb: { id: 'answered' } },
    ];
    const invalid = validateStatements([ok, ...bad]);
    expect(invalid.map((i) => i.index)).toEqual([1, 2, 3, 4, 5]);
    expect(invalid[0].reasons.join()).toMatch(/actor\.mbox/);
    expect(invalid[1].reasons.join()).toMatch(/score\.scaled/);
    expect(invalid[2].reasons.join()).toMatch(/duration/);
    expect(invalid[3].reasons.join()).toMatch(/statement\.id/);
    expect(invalid[4].reasons.join()).toMatch(/verb\.id/);
  });
});

// ---- the answer checks of the browser tests ------------------------------------------------------

describe('answeredProblems / envelopeProblems (what the browser tests hold the LRS to)', () => {
  let compiled: CompiledCourse;
  const registration = randomUUID();
  const base = 'https://courses.example.com/sample-course';
  let clock = Date.parse('2026-02-01T09:00:00.000Z');

  beforeAll(async () => {
    compiled = (await compileCourse(SAMPLE_COURSE)).compiled!;
  });

  /** An `answered` statement as xAPI Data §2.4.4.1 wants it, written here from the model. */
  function answered(g: Given): Statement {
    const it = compiled.interactions.get(g.id)!;
    const q = it.kind === 'question' ? it : null;
    const truth = (id: string) => String(truthOf(q!, id));
    const type = it.kind === 'response' ? 'long-fill-in' : it.kind === 'poll' ? (it.type === 'likert' ? 'likert' : 'choice') : it.type === 'single' || it.type === 'multiple' ? 'choice' : it.type;
    const response = type === 'true-false' ? truth(g.values[0]) : type === 'choice' ? g.values.join('[,]') : g.values[0];
    const patterns = !q ? undefined : q.type === 'fill-in' ? q.correct : q.type === 'true-false' ? [truth(q.correct[0])] : [q.correct.join('[,]')];
    const components = it.kind === 'response' || q?.type === 'true-false' || q?.type === 'fill-in' ? undefined : (it as Question).choices.map((c) => ({ id: c.id, description: { en: c.text } }));
    const verdict = expectedResult(it, g.values);
    return {
      id: randomUUID(),
      actor: learner,
      verb: { id: 'http://adlnet.gov/expapi/verbs/answered', display: { 'en-US': 'answered' } },
      object: {
        objectType: 'Activity',
        id: `${base}/interactions/${g.id}`,
        definition: {
          type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
          description: { en: it.prompt },
          interactionType: type,
          ...(patterns ? { correctResponsesPattern: patterns } : {}),
          ...(components ? { [type === 'likert' ? 'scale' : 'choices']: components } : {}),
        },
      },
      result: { response, ...(verdict === 'neutral' ? {} : { success: verdict === 'correct' }), duration: 'PT3.2S' },
      context: { registration },
      timestamp: new Date((clock += 1000)).toISOString(),
    };
  }

  const answers = (): Answers => {
    const q = (id: string) => compiled.interactions.get(id) as Question;
    const given: Given[] = [
      { id: 'kc-aov', values: correctAnswer(q('kc-aov')), how: 'check' },
      { id: 'poll-maturity', values: [q('poll-maturity').choices.at(-1)!.id], how: 'poll' },
      ...['q-single', 'q-multiple', 'q-tf', 'q-fill'].map((id) => ({ id, values: wrongAnswer(q(id)), how: 'quiz-1' as const })),
      ...['q-single', 'q-multiple', 'q-tf', 'q-fill'].map((id) => ({ id, values: correctAnswer(q(id)), how: 'quiz-2' as const })),
    ];
    return { given, leftWith: { 'plan-summary': ['My plan.'] }, texts: { 'plan-summary': 'My plan.' } };
  };
  const good = (a: Answers) => [...a.given.map(answered), answered({ id: 'plan-summary', values: ['My plan.'], how: 'response' })];
  const inCourse = (id: string) => id.startsWith(base + '/');
  const check = (list: Statement[], a = answers()) => answeredProblems(compiled, list, a, 't', inCourse);

  it('statements made from the model pass, and are valid xAPI', () => {
    const list = good(answers());
    expect(check(list)).toEqual([]);
    expect(envelopeProblems(list, learner, registration, 't')).toEqual([]);
    expect(outOfOrder(list)).toEqual([]);
    expect(formatInvalid(validateStatements(list))).toBe('');
  });

  const mutations: { name: string; find: RegExp; change: (list: Statement[]) => Statement[] }[] = [
    { name: 'an answer without statement', find: /kc-aov: 1 answer\(s\) given \(check\), 0 answered/, change: (l) => l.slice(1) },
    { name: 'a response other than given', find: /answered q-multiple \(quiz-2\).*result\.response/, change: (l) => ((l[7].result!.response = 'a'), l) },
    { name: 'success wrong', find: /answered q-single \(quiz-1\).*result\.success true, expected false/, change: (l) => ((l[2].result!.success = true), l) },
    { name: 'success on a poll', find: /poll-maturity.*result\.success/, change: (l) => ((l[1].result!.success = true), l) },
    { name: 'interactionType wrong', find: /q-tf \(quiz-1\).*interactionType/, change: (l) => ((l[4].object.definition.interactionType = 'choice'), l) },
    { name: 'correct responses wrong', find: /q-fill \(quiz-2\).*correctResponsesPattern/, change: (l) => ((l[9].object.definition.correctResponsesPattern = ['nope']), l) },
    { name: 'choices missing', find: /kc-aov \(check\).*definition\.choices/, change: (l) => (delete l[0].object.definition.choices, l) },
    { name: 'another activity id on the second attempt', find: /q-single answered as/, change: (l) => ((l[6].object.id = `${base}/interactions/q-single-2`), l) },
    { name: 'two interactions, one activity id', find: /one activity id .* for /, change: (l) => ((l[0].object.id = l[1].object.id), l) },
    { name: 'an activity outside the course', find: /not under the course/, change: (l) => ((l[0].object.id = 'https://elsewhere.example/kc'), l) },
    { name: 'free text other than typed', find: /plan-summary: last response/, change: (l) => ((l[10].result!.response = 'Something else'), l) },
    { name: 'attempts stored the other way round', find: /answered q-tf \(quiz-1\).*result\.(response|success)/, change: (l) => ([l[4], l[8]] = [l[8], l[4]], l) },
    { name: 'an interaction never answered', find: /q-last was recorded/, change: (l) => [...l, answered({ id: 'q-last', values: ['a'], how: 'quiz-1' })] },
    { name: 'a statement about nothing in the course', find: /is about no interaction/, change: (l) => ((l[0].object = { objectType: 'Activity', id: `${base}/x`, definition: { description: { en: 'no such prompt' } } }), l) },
  ];

  it.each(mutations)('flags: $name', ({ find, change }) => {
    const problems = check(change(good(answers())));
    expect(problems.join('\n')).toMatch(find);
  });

  it('envelopeProblems and outOfOrder flag another actor, another registration, a local time, a repeated id, a late timestamp', () => {
    const list = good(answers());
    list[0].actor = other;
    list[1].context = { registration: randomUUID() };
    list[2].timestamp = '2026-02-01T10:00:00+01:00';
    list[3].id = list[4].id;
    const problems = envelopeProblems(list, learner, registration, 't').join('\n');
    expect(problems).toMatch(/not the launch actor/);
    expect(problems).toMatch(/context\.registration/);
    expect(problems).toMatch(/timestamp "2026-02-01T10:00:00\+01:00"/);
    expect(problems).toMatch(/ids repeat/);
    const late = good(answers());
    late[5].timestamp = '2020-01-01T00:00:00.000Z';
    expect(outOfOrder(late)).toHaveLength(1);
  });

  it('experiencedProblems: one per page shown, in order, under the course — and flags what is not', () => {
    const page = (id: string): Statement => ({
      id: randomUUID(),
      actor: learner,
      verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
      object: { objectType: 'Activity', id: `${base}/pages/${id}`, definition: { name: { en: compiled.course.pages.find((p) => p.id === id)!.title } } },
      context: { registration },
      timestamp: new Date((clock += 1000)).toISOString(),
    });
    const shown = ['overview', 'lesson-one', 'plan', 'plan', 'final-quiz'];
    const list = shown.map(page);
    expect(experiencedProblems(compiled, list, shown, 't', inCourse)).toEqual([]);
    expect(experiencedProblems(compiled, list.slice(1), shown, 't', inCourse).join()).toMatch(/the learner was shown/);
    expect(experiencedProblems(compiled, [list[1], list[0], ...list.slice(2)], shown, 't', inCourse).join()).toMatch(/the learner was shown/);
    const outside = shown.map(page);
    outside[0].object.id = 'https://elsewhere.example/overview';
    expect(experiencedProblems(compiled, outside, shown, 't', inCourse).join()).toMatch(/not under the course/);
    const moved = shown.map(page);
    moved[3].object.id = `${base}/pages/plan-again`;
    expect(experiencedProblems(compiled, moved, shown, 't', inCourse).join()).toMatch(/page plan experienced as/);
  });
});
