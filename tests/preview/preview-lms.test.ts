/**
 * The preview launches a cmi5 package as the test kit's LMS does — it is the same stand-in: an
 * LMS-generated AU activity id, LaunchData with a fresh session id, a "launched" statement, a
 * one-time fetch URL, and State merges of JSON objects only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreview, type Preview } from '../../src/preview/server.ts';
import { CMI5, VERBS, readCmi5Xml } from '../support/lrs/index.ts';
import { sampleCourseWith } from '../support/course.ts';

let preview: Preview;
let origin: string;

beforeAll(async () => {
  preview = await startPreview({ courseDir: await sampleCourseWith(), target: 'cmi5', port: 0, watch: false });
  origin = preview.url.replace(/\/$/, '');
});

afterAll(async () => {
  await preview?.close();
});

const launch = async () => new URL((await (await fetch(`${origin}/launch`)).json()).url);
const learner = async () => (await (await fetch(`${origin}/learner.json`)).json()) as { statements: { verb: { id: string }; object: { id: string } }[] };

describe('the preview’s cmi5 LMS', () => {
  it('launches the AU of cmi5.xml under an activity id of its own (cmi5 §8.1.5), and records "launched"', async () => {
    const publisher = readCmi5Xml(await (await fetch(`${origin}/sco/cmi5.xml`)).text()).aus[0].id;
    const url = await launch();
    const activityId = url.searchParams.get('activityId')!;
    expect(activityId).toMatch(/^https?:\/\//);
    expect(activityId).not.toBe(publisher);
    expect((await launch()).searchParams.get('activityId'), 'the same for every launch of the AU').toBe(activityId);
    const launched = (await learner()).statements.filter((s) => s.verb.id === VERBS.launched);
    expect(launched.map((s) => s.object.id)).toEqual([activityId, activityId]);
  });

  it('gives the auth-token once per launch; with it, LaunchData has a fresh session id, and a merge into it needs a JSON object', async () => {
    const url = await launch();
    const fetchUrl = url.searchParams.get('fetch')!;
    const first = await (await fetch(fetchUrl, { method: 'POST' })).json();
    expect(first['auth-token']).toEqual(expect.any(String));
    expect((await (await fetch(fetchUrl, { method: 'POST' })).json())['error-code']).toBe('1');
    const headers = { authorization: `Basic ${first['auth-token']}`, 'x-experience-api-version': '1.0.3', 'content-type': 'application/json' };
    const state = `${url.searchParams.get('endpoint')}activities/state?${new URLSearchParams({
      activityId: url.searchParams.get('activityId')!, agent: url.searchParams.get('actor')!, registration: url.searchParams.get('registration')!, stateId: CMI5.launchDataStateId,
    })}`;
    const launchData = await (await fetch(state, { headers })).json();
    expect(launchData.contextTemplate.extensions[CMI5.sessionId]).toMatch(/^[0-9a-f-]{36}$/);
    expect((await fetch(state, { method: 'POST', headers, body: '[1, 2]' })).status).toBe(400);
    expect((await fetch(state, { method: 'POST', headers, body: '{"extra": true}' })).status).toBe(204);
    expect(await (await fetch(state, { headers })).json()).toEqual({ ...launchData, extra: true });
  });

  it('refuses credentials it did not issue', async () => {
    const url = await launch();
    const res = await fetch(`${url.searchParams.get('endpoint')}statements`, {
      headers: { authorization: `Basic ${Buffer.from('preview:preview').toString('base64')}`, 'x-experience-api-version': '1.0.3' },
    });
    expect(res.status).toBe(401);
  });
});
