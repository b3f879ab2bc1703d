import { describe, expect, it } from 'vitest';
import { agentKey, lrsUrl, parseActor, parseCmi5Launch, parseTinCanLaunch } from '../../src/runtime/xapi/launch.ts';

const REG = '760e3480-ba55-4991-94b0-01820dbd23a2';
const actor = { objectType: 'Agent', account: { homePage: 'http://www.example.com', name: '1625378' }, name: 'Jo Learner' };
const q = (p: Record<string, string>) => 'https://cdn.example.com/course/index.html?' + new URLSearchParams(p).toString();

describe('Tin Can launch', () => {
  it('reads endpoint, auth, actor, registration and activity_id, in any order', () => {
    const url = q({
      activity_id: 'https://courses.example.com/sample-course',
      registration: REG,
      actor: JSON.stringify(actor),
      auth: 'Basic dXNlcjpwYXNz',
      endpoint: 'https://lrs.example.com/xapi',
    });
    expect(parseTinCanLaunch(url + '#lesson-1')).toEqual({
      endpoint: 'https://lrs.example.com/xapi',
      auth: 'Basic dXNlcjpwYXNz',
      actor,
      registration: REG,
      activityId: 'https://courses.example.com/sample-course',
    });
  });

  it('restores the + of base64 credentials an LMS forgot to URL-encode', () => {
    const url = `https://cdn.example.com/c/index.html?endpoint=https://lrs/&auth=Basic%20ab+c/d==&actor=${encodeURIComponent(JSON.stringify(actor))}`;
    expect(parseTinCanLaunch(url)?.auth).toBe('Basic ab+c/d==');
    expect(parseTinCanLaunch(q({ endpoint: 'https://lrs/', auth: 'Basic ab+c/d==', actor: JSON.stringify(actor) }))?.auth).toBe('Basic ab+c/d==');
  });

  it('accepts the old Tin Can actor with arrays, and a bare e-mail address', () => {
    const legacy = { name: ['Jo'], mbox: ['jo@example.com'] };
    expect(parseActor(JSON.stringify(legacy))).toEqual({ objectType: 'Agent', name: 'Jo', mbox: 'mailto:jo@example.com' });
    const account = { account: [{ accountServiceHomePage: 'https://lms.example.com', accountName: 'u42' }] };
    expect(parseActor(JSON.stringify(account))).toEqual({ objectType: 'Agent', account: { homePage: 'https://lms.example.com', name: 'u42' } });
  });

  it('needs an endpoint and an identified actor; registration and auth are optional', () => {
    expect(parseTinCanLaunch(q({ actor: JSON.stringify(actor) }))).toBeNull();
    expect(parseTinCanLaunch(q({ endpoint: 'https://lrs', actor: '{"name":"no ifi"}' }))).toBeNull();
    expect(parseTinCanLaunch(q({ endpoint: 'https://lrs', actor: 'not json' }))).toBeNull();
    expect(parseTinCanLaunch('https://cdn.example.com/course/index.html')).toBeNull();
    const bare = parseTinCanLaunch(q({ endpoint: 'https://lrs/', actor: JSON.stringify(actor), registration: 'not-a-uuid' }));
    expect(bare).toMatchObject({ auth: '', registration: '', activityId: '' });
  });
});

describe('cmi5 launch (§8.1)', () => {
  const params = {
    endpoint: 'https://lms.example.com/lrs',
    fetch: 'https://lms.example.com/token?k=2390289x0',
    actor: JSON.stringify(actor),
    registration: REG,
    activityId: 'https://lms.example.com/au/17',
  };

  it('reads the five parameters, URL-decoded', () => {
    expect(parseCmi5Launch(q(params))).toEqual({ ...params, actor });
  });

  it('refuses a launch that lacks any of them or has a registration that is not a UUID', () => {
    for (const k of Object.keys(params)) {
      const p: Record<string, string> = { ...params };
      delete p[k];
      expect(parseCmi5Launch(q(p)), k).toBeNull();
    }
    expect(parseCmi5Launch(q({ ...params, registration: '42' }))).toBeNull();
  });

  it('gives each learner a stable key from their identifier', () => {
    expect(agentKey(actor as any)).toBe('http://www.example.com|1625378');
    expect(agentKey({ mbox: 'mailto:jo@example.com' })).toBe('mailto:jo@example.com');
  });
});

describe('LRS URLs', () => {
  it('joins resources to an endpoint with or without its trailing slash', () => {
    expect(lrsUrl('https://lms.example.com/lrs', 'statements')).toBe('https://lms.example.com/lrs/statements');
    expect(lrsUrl('https://lms.example.com/lrs/', 'statements')).toBe('https://lms.example.com/lrs/statements');
    expect(lrsUrl('https://lrs.example.com', 'activities/state')).toBe('https://lrs.example.com/activities/state');
  });

  it('encodes query parameters and keeps a query the endpoint already has', () => {
    const url = new URL(lrsUrl('https://lms.example.com/lrs?tenant=7', 'activities/state', { agent: JSON.stringify(actor), stateId: 'LMS.LaunchData' }));
    expect(url.pathname).toBe('/lrs/activities/state');
    expect(url.searchParams.get('tenant')).toBe('7');
    expect(JSON.parse(url.searchParams.get('agent')!)).toEqual(actor);
    expect(url.searchParams.get('stateId')).toBe('LMS.LaunchData');
  });
});
