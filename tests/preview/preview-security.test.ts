/**
 * The preview runs on the author's machine next to whatever else is open in their browser: no other
 * site may write statements into its LRS stand-in, press its buttons or frame it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreview, type Preview } from '../../src/preview/server.ts';
import { sampleCourseWith } from '../support/course.ts';

let preview: Preview;
let origin: string;
const statement = () => ({
  id: crypto.randomUUID(),
  actor: { objectType: 'Agent', account: { homePage: 'https://elsewhere.test', name: 'intruder' } },
  verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
  object: { objectType: 'Activity', id: 'https://elsewhere.test/course' },
});
const stored = async () => ((await (await fetch(`${origin}/learner.json`)).json()).statements as { id: string }[]).map((s) => s.id);
/** The launch's Authorization, as the course gets it from its launch URL. */
const launchAuth = async () => new URL((await (await fetch(`${origin}/launch`)).json()).url, origin).searchParams.get('auth')!;

beforeAll(async () => {
  preview = await startPreview({ courseDir: await sampleCourseWith(), target: 'xapi', port: 0, watch: false });
  origin = preview.url.replace(/\/$/, '');
});

afterAll(async () => {
  await preview?.close();
});

describe('the preview’s LRS stand-in refuses what a page of another site could send', () => {
  it('a cross-site text/plain POST (a form, no preflight) stores nothing', async () => {
    const s = statement();
    const res = await fetch(`${origin}/xapi/statements`, {
      method: 'POST', headers: { 'content-type': 'text/plain', origin: 'https://evil.test' }, body: JSON.stringify(s),
    });
    expect(res.status).toBe(403);
    expect(await stored()).not.toContain(s.id);
  });

  it('the same text/plain POST from its own origin is refused for its content type and its missing version header', async () => {
    const auth = await launchAuth();
    const s = statement();
    const plain = await fetch(`${origin}/xapi/statements`, {
      method: 'POST', headers: { 'content-type': 'text/plain', origin, authorization: auth, 'x-experience-api-version': '1.0.3' }, body: JSON.stringify(s),
    });
    expect(plain.status).toBe(415);
    const unversioned = await fetch(`${origin}/xapi/statements`, {
      method: 'POST', headers: { 'content-type': 'application/json', origin, authorization: auth }, body: JSON.stringify(s),
    });
    expect(unversioned.status).toBe(400);
    expect(await stored()).not.toContain(s.id);
  });

  it('a JSON POST with the version header from another origin is refused; from its own origin it is stored', async () => {
    const auth = await launchAuth();
    const s = statement();
    const headers = { 'content-type': 'application/json', authorization: auth, 'x-experience-api-version': '1.0.3' };
    const foreign = await fetch(`${origin}/xapi/statements`, { method: 'POST', headers: { ...headers, origin: 'http://127.0.0.1:1' }, body: JSON.stringify(s) });
    expect(foreign.status).toBe(403);
    expect(await stored()).not.toContain(s.id);
    const own = await fetch(`${origin}/xapi/statements`, { method: 'POST', headers: { ...headers, origin }, body: JSON.stringify(s) });
    expect(own.status).toBe(200);
    expect(await stored()).toContain(s.id);
  });

  it('its buttons (an LRS outage, a new learner) answer no other origin', async () => {
    const res = await fetch(`${origin}/control?action=reset`, { method: 'POST', headers: { 'x-coursepack': 'preview', origin: 'https://evil.test' } });
    expect(res.status).toBe(403);
    expect((await stored()).length).toBeGreaterThan(0);
  });
});

describe('every answer of the preview', () => {
  it.each(['/', '/sco/index.html', '/status', '/xapi/about', '/no-such-file'])('%s may be framed by the preview only and sends no Referer', async (path) => {
    const res = await fetch(origin + path);
    expect(res.headers.get('content-security-policy')).toMatch(/(^|;)\s*frame-ancestors 'self'\s*(;|$)/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });
});
