/**
 * Launch parameters of the two xAPI launch conventions, read from the query string:
 * - Tin Can (Rustici's launch convention, used by `tincan.xml` packages): `endpoint`, `auth`
 *   (a whole Authorization header value), `actor` (JSON), `registration`, `activity_id`;
 * - cmi5 §8.1: `endpoint`, `fetch` (the one-time auth-token URL), `actor`, `registration`,
 *   `activityId`.
 * Values are URL-encoded; parameters come in any order. Nothing here throws: a launch we cannot
 * use comes back as null and the adapter falls back to this browser's storage.
 */
import type { Agent } from '@xapi/xapi';

export interface TinCanLaunch {
  endpoint: string;
  /** Authorization header value as given, e.g. `Basic dXNlcjpwYXNz`; '' when none was given. */
  auth: string;
  actor: Agent;
  registration: string;
  /** The activity id the LMS knows the package by ('' when not given). */
  activityId: string;
}

export interface Cmi5Launch {
  endpoint: string;
  fetch: string;
  actor: Agent;
  registration: string;
  activityId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string): boolean => UUID.test(s);

/** Query parameters of a URL or a bare query string, decoded. */
function params(search: string): URLSearchParams {
  const q = search.indexOf('?');
  return new URLSearchParams((q >= 0 ? search.slice(q + 1) : search).split('#')[0]);
}

const isObj = (x: unknown): x is Record<string, any> => !!x && typeof x === 'object' && !Array.isArray(x);

/**
 * The learner from the `actor` parameter. Old Tin Can (0.9) launchers send the IFIs as arrays
 * (`"mbox": ["mailto:…"]`, `"account": [{"accountServiceHomePage", "accountName"}]`): the first
 * entry is used, as @xapi/xapi's launch helper does. Returns null without a usable identifier.
 */
export function parseActor(raw: string | null): Agent | null {
  if (!raw) return null;
  let a: unknown;
  try {
    a = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isObj(a)) return null;
  const out: Record<string, any> = {};
  const first = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);
  const name = first(a.name);
  if (typeof name === 'string') out.name = name;
  const account = first(a.account);
  if (isObj(account)) {
    const homePage = account.homePage ?? account.accountServiceHomePage;
    const accountName = account.name ?? account.accountName;
    if (typeof homePage === 'string' && typeof accountName === 'string') out.account = { homePage, name: accountName };
  }
  for (const k of ['mbox', 'mbox_sha1sum', 'openid']) {
    const v = first(a[k]);
    if (typeof v === 'string' && v) out[k] = k === 'mbox' && !v.startsWith('mailto:') ? 'mailto:' + v : v;
  }
  if (!out.account && !out.mbox && !out.mbox_sha1sum && !out.openid) return null;
  return { objectType: 'Agent', ...out } as Agent;
}

/** A stable string for the learner, from the identifier the LMS gave (for keys, never shown). */
export function agentKey(a: Agent): string {
  return a.account ? `${a.account.homePage}|${a.account.name}` : a.mbox || a.mbox_sha1sum || a.openid || '';
}

/**
 * The Authorization value of `auth`. Some LMSs do not URL-encode it, and query decoding then turns
 * the `+` of base64 credentials into spaces: after the scheme, a space can only have been a `+`.
 */
export const authValue = (auth: string): string => auth.replace(/^(\S+) (.+)$/, (_m, scheme: string, rest: string) => `${scheme} ${rest.replace(/ /g, '+')}`);

export function parseTinCanLaunch(search: string): TinCanLaunch | null {
  const p = params(search);
  const endpoint = p.get('endpoint') || '';
  const actor = parseActor(p.get('actor'));
  if (!endpoint || !actor) return null;
  const registration = p.get('registration') || '';
  return {
    endpoint,
    auth: authValue(p.get('auth') || ''),
    actor,
    // The registration is a UUID in xAPI; an LRS refuses a statement with anything else.
    registration: isUuid(registration) ? registration : '',
    activityId: p.get('activity_id') || '',
  };
}

export function parseCmi5Launch(search: string): Cmi5Launch | null {
  const p = params(search);
  const launch = {
    endpoint: p.get('endpoint') || '',
    fetch: p.get('fetch') || '',
    actor: parseActor(p.get('actor')),
    registration: p.get('registration') || '',
    activityId: p.get('activityId') || '',
  };
  if (!launch.endpoint || !launch.fetch || !launch.actor || !launch.activityId || !isUuid(launch.registration)) return null;
  return launch as Cmi5Launch;
}

/**
 * `{endpoint}{resource}?{query}`. The endpoint may come with or without its trailing slash
 * (`…/lrs` or `…/lrs/`), and even with a query of its own, which is kept.
 */
export function lrsUrl(endpoint: string, resource: string, query: Record<string, string> = {}): string {
  const base = typeof location === 'undefined' ? undefined : location.href;
  const u = new URL(endpoint, base);
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  u.pathname += resource;
  for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
  return u.href;
}
