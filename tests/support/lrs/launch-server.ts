/**
 * The "LMS" a browser test launches an xAPI or cmi5 package from, written from the specs
 * (xAPI 1.0.3 Communication §2.3, §2.6, §3.1; cmi5 §8, §9.3.1, §10, §11) and kept small:
 *
 * - it is the LRS endpoint the course talks to (`${origin}/xapi/`): it answers `about`, keeps the
 *   State resource (`activities/state`) and the Agent Profile resource (`agents/profile`) itself,
 *   and forwards everything under `statements` to the real LRS (lrs.ts), so statements are
 *   stored and validated by Learning Locker;
 * - it launches packages: Tin Can launch URLs (endpoint, auth, actor, registration, activity_id),
 *   and cmi5 launches (LMS.LaunchData state document with a fresh session id, a "launched"
 *   statement, a one-time fetch URL, the AU launch URL), reading the ids from the package's
 *   tincan.xml / cmi5.xml over HTTP;
 * - it checks the Authorization header against the credentials it issued, answers CORS for the
 *   course's origin and requires X-Experience-API-Version;
 * - for fault injection it can stop and restart on the same port (open connections are dropped),
 *   answer 503 for a while, or answer slowly.
 *
 * Every request is logged (`requests`), and whatever a conforming client would not have caused
 * (a bad header, a second fetch, an unknown path, a statement the LRS refused…) is listed in
 * `problems`, so a test can require it to be empty.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Lrs, Statement } from './lrs.ts';
import { XAPI_VERSION, freePort } from './lrs.ts';

// ---- vocabulary ---------------------------------------------------------------------------------

export const CMI5 = {
  sessionId: 'https://w3id.org/xapi/cmi5/context/extensions/sessionid',
  masteryScore: 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore',
  launchMode: 'https://w3id.org/xapi/cmi5/context/extensions/launchmode',
  launchUrl: 'https://w3id.org/xapi/cmi5/context/extensions/launchurl',
  moveOnExtension: 'https://w3id.org/xapi/cmi5/context/extensions/moveon',
  launchParameters: 'https://w3id.org/xapi/cmi5/context/extensions/launchparameters',
  categoryCmi5: 'https://w3id.org/xapi/cmi5/context/categories/cmi5',
  categoryMoveOn: 'https://w3id.org/xapi/cmi5/context/categories/moveon',
  progress: 'https://w3id.org/xapi/cmi5/result/extensions/progress',
  reason: 'https://w3id.org/xapi/cmi5/result/extensions/reason',
  launchDataStateId: 'LMS.LaunchData',
  learnerPreferences: 'cmi5LearnerPreferences',
} as const;

export const VERBS = {
  launched: 'http://adlnet.gov/expapi/verbs/launched',
  initialized: 'http://adlnet.gov/expapi/verbs/initialized',
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  failed: 'http://adlnet.gov/expapi/verbs/failed',
  abandoned: 'https://w3id.org/xapi/adl/verbs/abandoned',
  waived: 'https://w3id.org/xapi/adl/verbs/waived',
  terminated: 'http://adlnet.gov/expapi/verbs/terminated',
  satisfied: 'https://w3id.org/xapi/adl/verbs/satisfied',
} as const;

export type LaunchMode = 'Normal' | 'Browse' | 'Review';
export type MoveOn = 'Passed' | 'Completed' | 'CompletedAndPassed' | 'CompletedOrPassed' | 'NotApplicable';

/** An xAPI Agent (one inverse functional identifier). */
export interface Agent {
  objectType?: 'Agent';
  name?: string;
  mbox?: string;
  mbox_sha1sum?: string;
  openid?: string;
  account?: { homePage: string; name: string };
}

/** The `LMS.LaunchData` state document (cmi5 §10.2). */
export interface LaunchData {
  contextTemplate: {
    contextActivities?: Record<string, { id: string; objectType?: string }[]>;
    extensions: Record<string, unknown>;
    [key: string]: unknown;
  };
  launchMode: LaunchMode;
  moveOn: MoveOn;
  masteryScore?: number;
  returnURL?: string;
  launchParameters?: string;
  entitlementKey?: { courseStructure: string; alternate?: string };
}

export interface TinCanLaunch {
  kind: 'tincan';
  /** The stand-in's own id of this launch. */
  id: string;
  url: string;
  /** The `endpoint` parameter as sent. */
  endpoint: string;
  /** The `auth` parameter: the whole Authorization header value the course must send. */
  auth: string;
  actor: Agent;
  registration: string;
  /** From tincan.xml: the activity whose `<launch>` was used. */
  activityId: string;
  launchHref: string;
}

export interface Cmi5Launch {
  kind: 'cmi5';
  id: string;
  url: string;
  endpoint: string;
  fetchUrl: string;
  actor: Agent;
  registration: string;
  /** The LMS-generated AU activity id of the launch URL (§8.1.5: not the publisher id). */
  activityId: string;
  /** The AU's id in cmi5.xml (publisher id). */
  auId: string;
  /** The course's id in cmi5.xml (publisher id). */
  courseId: string;
  sessionId: string;
  launchData: LaunchData;
  /** Id of the "launched" statement the stand-in recorded (null when told not to). */
  launchedStatementId: string | null;
  /** The auth-token, once fetched (null before). */
  token: string | null;
  /** POSTs made to the fetch URL. */
  fetches: number;
}

export type Launch = TinCanLaunch | Cmi5Launch;

export interface RequestRecord {
  seq: number;
  at: number;
  method: string;
  /** Path under the endpoint (`statements`, `activities/state`, `agents/profile`, `about`), or `/cmi5/fetch/…`. */
  path: string;
  query: Record<string, string>;
  status: number;
  origin: string | null;
  /** The launch whose credentials were used (null: none or not valid). */
  launch: string | null;
  /** Statements in a statements POST/PUT body, as sent. */
  statements?: Statement[];
  note?: string;
}

export interface StandInOptions {
  /** The real LRS: statements go there. */
  lrs: Pick<Lrs, 'endpoint' | 'authorization'>;
  /** Origins CORS allows; default every `http://127.0.0.1:PORT` and `http://localhost:PORT`. */
  origins?: string[];
  port?: number;
}

export interface DocumentQuery {
  activityId: string;
  agent: Agent;
  stateId: string;
  registration?: string;
}

export interface StoredDocument {
  contentType: string;
  body: Buffer;
  updated: Date;
  etag: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface StandIn {
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  /** `${origin}/xapi/` — the LRS endpoint handed to the course. */
  readonly endpoint: string;
  readonly port: number;
  readonly launches: Launch[];
  readonly requests: RequestRecord[];
  /** What a conforming client would not have caused, one line each. */
  readonly problems: string[];
  readonly listening: boolean;

  tinCanLaunch(packageBaseUrl: string, options: { actor: Agent; registration: string; endpointWithoutSlash?: boolean }): Promise<TinCanLaunch>;
  /** The Tin Can launch URL of the package's course activity. */
  tinCanLaunchUrl(packageBaseUrl: string, options: { actor: Agent; registration: string }): Promise<string>;
  /**
   * Prepares a cmi5 launch of an AU of the package (the first, or `auId`): writes LMS.LaunchData
   * (moveOn, masteryScore and launchParameters from cmi5.xml unless given; `masteryScore: null`
   * leaves it out), records "launched" and returns the AU launch URL.
   */
  cmi5Launch(
    packageBaseUrl: string,
    options: {
      actor: Agent;
      registration: string;
      auId?: string;
      launchMode?: LaunchMode;
      moveOn?: MoveOn;
      masteryScore?: number | null;
      returnURL?: string;
      launchParameters?: string;
      launchedStatement?: boolean;
      endpointWithoutSlash?: boolean;
    },
  ): Promise<Cmi5Launch>;

  /** A State document, or null. */
  state(query: DocumentQuery): StoredDocument | null;
  /** Writes a State document as a PUT would (JSON for objects, else the string as text/plain). */
  putState(query: DocumentQuery, doc: unknown): void;
  agentProfile(agent: Agent, profileId: string): StoredDocument | null;
  setAgentProfile(agent: Agent, profileId: string, doc: unknown): void;

  /** Closes the listening socket and drops every open connection. */
  stop(): Promise<void>;
  /** Listens again on the same port (everything stored is kept). */
  restart(): Promise<void>;
  /**
   * Answers 503 (or `status`) to xAPI requests (not to CORS preflights or the fetch URL) for `ms`,
   * or for the next `requests` requests, or until `available()`; `only` narrows it to some paths.
   */
  unavailable(options?: { ms?: number; requests?: number; retryAfter?: number; only?: RegExp; status?: number }): void;
  /**
   * As ADL's reference LRS does (standards.md, field reports): a statements POST/PUT holding an id
   * already stored is answered 409 as a whole, even when the content is identical. Off by default
   * (Learning Locker answers 200 to an identical resend).
   */
  conflictOnResend(on: boolean): void;
  /**
   * Holds every statements POST/PUT whose statements `match` (default: all), after its body has
   * arrived and before it goes to the LRS, until `release()`: a slow LRS (or one slow node of it)
   * while the page goes on, and maybe goes away. Other requests pass, so they can overtake the held
   * ones. `held` resolves with the first request held; `count()` tells how many were held.
   */
  holdStatements(match?: (statements: Statement[]) => boolean): { held: Promise<RequestRecord>; count(): number; release(): void };
  available(): void;
  /** Delays every xAPI answer by `ms` (after the request was handled); 0 turns it off. */
  latency(ms: number): void;
  close(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const sha1 = (data: Buffer | string): string => createHash('sha1').update(data).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The identity of an agent: its inverse functional identifier, as a string. */
export function agentKey(agent: Agent): string {
  if (agent.mbox) return `mbox:${agent.mbox.toLowerCase()}`;
  if (agent.mbox_sha1sum) return `sha1:${agent.mbox_sha1sum.toLowerCase()}`;
  if (agent.openid) return `openid:${agent.openid}`;
  if (agent.account?.homePage && agent.account?.name) return `account:${agent.account.homePage}|${agent.account.name}`;
  throw new Error(`agent without an identifier: ${JSON.stringify(agent)}`);
}

export const sameAgent = (a: Agent | undefined, b: Agent | undefined): boolean => {
  try {
    return !!a && !!b && agentKey(a) === agentKey(b);
  } catch {
    return false;
  }
};

/** Joins an endpoint and a resource path whether or not the endpoint ends with `/`. */
export const joinEndpoint = (endpoint: string, path: string): string => endpoint.replace(/\/?$/, '/') + path;

// ---- package descriptors ------------------------------------------------------------------------

const decodeXml = (s: string): string =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16))).replace(/&amp;/g, '&');

const attr = (tag: string, name: string): string | undefined => {
  const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(tag);
  return m ? decodeXml(m[2] ?? m[3]) : undefined;
};

async function fetchText(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} → ${res.status}`);
  return res.text();
}

export interface TinCanDescriptor {
  activityId: string;
  type: string | undefined;
  launch: string;
}

/** The activities of tincan.xml that have a `<launch>`, in document order. */
export function readTinCanXml(xml: string): TinCanDescriptor[] {
  const out: TinCanDescriptor[] = [];
  for (const m of xml.matchAll(/<activity\b([^>]*)>([\s\S]*?)<\/activity>/g)) {
    const launch = /<launch\b[^>]*>([\s\S]*?)<\/launch>/.exec(m[2])?.[1];
    const id = attr(m[0], 'id');
    if (id && launch) out.push({ activityId: id, type: attr(m[0], 'type'), launch: decodeXml(launch.trim()) });
  }
  return out;
}

export interface Cmi5Au {
  id: string;
  url: string;
  moveOn: MoveOn;
  masteryScore: number | null;
  launchMethod: string;
  launchParameters: string | null;
  entitlementKey: string | null;
}

export interface Cmi5Descriptor {
  courseId: string;
  aus: Cmi5Au[];
}

/** The course id and AUs of cmi5.xml (attributes with the §13.1.4 defaults). */
export function readCmi5Xml(xml: string): Cmi5Descriptor {
  const course = /<course\b[^>]*>/.exec(xml)?.[0];
  const courseId = course ? attr(course, 'id') : undefined;
  if (!courseId) throw new Error('cmi5.xml: no <course id>');
  const aus: Cmi5Au[] = [];
  for (const m of xml.matchAll(/<au\b([^>]*)>([\s\S]*?)<\/au>/g)) {
    const tag = `<au${m[1]}>`;
    const inner = m[2];
    const text = (name: string) => {
      const t = new RegExp(`<${name}\\b[^>]*>([\\s\\S]*?)</${name}>`).exec(inner)?.[1];
      return t === undefined ? null : decodeXml(t.trim());
    };
    const mastery = attr(tag, 'masteryScore');
    aus.push({
      id: attr(tag, 'id') ?? '',
      url: text('url') ?? '',
      moveOn: (attr(tag, 'moveOn') as MoveOn | undefined) ?? 'NotApplicable',
      masteryScore: mastery === undefined ? null : Number(mastery),
      launchMethod: attr(tag, 'launchMethod') ?? 'AnyWindow',
      launchParameters: text('launchParameters'),
      entitlementKey: text('entitlementKey'),
    });
  }
  if (!aus.length) throw new Error('cmi5.xml: no <au>');
  return { courseId, aus };
}

// ---- the server ---------------------------------------------------------------------------------

interface Doc extends StoredDocument {
  /** Resource and context (activity, agent, registration), as a key. */
  scope: string;
  id: string;
}

type Resource = 'state' | 'agent-profile';

export async function startLaunchServer(options: StandInOptions): Promise<StandIn> {
  const port = options.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  const endpoint = `${origin}/xapi/`;
  const lrsEndpoint = options.lrs.endpoint.replace(/\/?$/, '/');

  const launches: Launch[] = [];
  const requests: RequestRecord[] = [];
  const problems: string[] = [];
  /** Authorization header value → launch. */
  const credentials = new Map<string, Launch>();
  /** fetch key → cmi5 launch. */
  const fetchKeys = new Map<string, Cmi5Launch>();
  const docs = new Map<string, Doc>();

  let outage: { until: number | null; left: number | null; retryAfter?: number; only?: RegExp; status: number } | null = null;
  let adlConflicts = false;
  let hold: { match: (statements: Statement[]) => boolean; arrived: (r: RequestRecord) => void; gate: Promise<void>; count: number } | null = null;
  /** Ids of statements the LRS accepted through this stand-in. */
  const storedIds = new Set<string>();
  let delayMs = 0;
  let seq = 0;

  const allowedOrigin = (o: string | null): boolean =>
    !!o && (options.origins ? options.origins.includes(o) : /^http:\/\/(127\.0\.0\.1|localhost):\d+$/.test(o));

  // -- documents --

  const scopeKey = (resource: Resource, parts: (string | undefined)[]) => JSON.stringify([resource, ...parts.map((p) => p ?? '')]);
  const docKey = (scope: string, id: string) => JSON.stringify([scope, id]);

  const makeDoc = (scope: string, id: string, contentType: string, body: Buffer): Doc => {
    let json: unknown;
    if (/^application\/json\b/i.test(contentType)) {
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        json = undefined;
      }
    }
    return { scope, id, contentType, body, updated: new Date(), etag: sha1(body), json };
  };

  const stateScope = (q: Omit<DocumentQuery, 'stateId'>) => scopeKey('state', [q.activityId, agentKey(q.agent), q.registration?.toLowerCase()]);
  const profileScope = (agent: Agent) => scopeKey('agent-profile', [agentKey(agent)]);

  /** Stores a value as a PUT would: JSON for objects, text/plain for a string. */
  const putValue = (scope: string, id: string, doc: unknown): void => {
    const d = typeof doc === 'string'
      ? makeDoc(scope, id, 'text/plain', Buffer.from(doc))
      : makeDoc(scope, id, 'application/json', Buffer.from(JSON.stringify(doc)));
    docs.set(docKey(scope, id), d);
  };

  // -- launches --

  function issueCredentials(launch: Launch): string {
    const user = `${launch.kind}-${launch.id}`;
    return Buffer.from(`${user}:${randomBytes(12).toString('hex')}`).toString('base64');
  }

  async function tinCanLaunch(packageBaseUrl: string, o: { actor: Agent; registration: string; endpointWithoutSlash?: boolean }): Promise<TinCanLaunch> {
    const base = packageBaseUrl.replace(/\/?$/, '/');
    const activities = readTinCanXml(await fetchText(base + 'tincan.xml'));
    if (!activities.length) throw new Error(`${base}tincan.xml: no activity with a <launch>`);
    const course = activities.find((a) => a.type === 'http://adlnet.gov/expapi/activities/course') ?? activities[0];
    const id = String(launches.length + 1);
    const partial = { kind: 'tincan' as const, id };
    const token = issueCredentials(partial as Launch);
    const auth = `Basic ${token}`;
    const ep = o.endpointWithoutSlash ? endpoint.replace(/\/$/, '') : endpoint;
    const url = new URL(course.launch, base);
    url.searchParams.set('endpoint', ep);
    url.searchParams.set('auth', auth);
    url.searchParams.set('actor', JSON.stringify(o.actor));
    url.searchParams.set('registration', o.registration);
    url.searchParams.set('activity_id', course.activityId);
    const launch: TinCanLaunch = {
      kind: 'tincan', id, url: url.toString(), endpoint: ep, auth, actor: o.actor, registration: o.registration,
      activityId: course.activityId, launchHref: course.launch,
    };
    launches.push(launch);
    credentials.set(auth, launch);
    return launch;
  }

  async function cmi5Launch(packageBaseUrl: string, o: Parameters<StandIn['cmi5Launch']>[1]): Promise<Cmi5Launch> {
    const base = packageBaseUrl.replace(/\/?$/, '/');
    const structure = readCmi5Xml(await fetchText(base + 'cmi5.xml'));
    const au = o.auId ? structure.aus.find((a) => a.id === o.auId) : structure.aus[0];
    if (!au) throw new Error(`${base}cmi5.xml: no AU ${o.auId}`);
    if (!UUID.test(o.registration)) throw new Error(`registration must be a UUID: ${o.registration}`);
    const id = String(launches.length + 1);
    // §8.1.5: generated by the LMS, not the publisher id, the same for every launch of the AU.
    const activityId = `https://lms.coursepack.test/activities/au/${sha1(au.id).slice(0, 20)}`;
    const sessionId = randomUUID();
    const masteryScore = o.masteryScore === null ? null : (o.masteryScore ?? au.masteryScore);
    const launchParameters = o.launchParameters ?? au.launchParameters;
    const launchData: LaunchData = {
      contextTemplate: {
        // §10.2.1: the session id, and the publisher id of the AU in grouping (§9.6.2.3).
        contextActivities: { grouping: [{ objectType: 'Activity', id: au.id }] },
        extensions: { [CMI5.sessionId]: sessionId },
      },
      launchMode: o.launchMode ?? 'Normal',
      moveOn: o.moveOn ?? au.moveOn,
      ...(masteryScore !== null && masteryScore !== undefined ? { masteryScore } : {}),
      ...(o.returnURL ? { returnURL: o.returnURL } : {}),
      ...(launchParameters !== null && launchParameters !== undefined ? { launchParameters } : {}),
      ...(au.entitlementKey ? { entitlementKey: { courseStructure: au.entitlementKey } } : {}),
    };
    // §10.1: written before the launch, keyed by the AU activity id, actor and registration.
    putValue(stateScope({ activityId, agent: o.actor, registration: o.registration }), CMI5.launchDataStateId, launchData);

    const key = randomBytes(16).toString('hex');
    const fetchUrl = `${origin}/cmi5/fetch/${key}`;
    const ep = o.endpointWithoutSlash ? endpoint.replace(/\/$/, '') : endpoint;
    const url = new URL(au.url, base);
    url.searchParams.set('endpoint', ep);
    url.searchParams.set('fetch', fetchUrl);
    url.searchParams.set('actor', JSON.stringify(o.actor));
    url.searchParams.set('registration', o.registration);
    url.searchParams.set('activityId', activityId);

    const launch: Cmi5Launch = {
      kind: 'cmi5', id, url: url.toString(), endpoint: ep, fetchUrl, actor: o.actor, registration: o.registration,
      activityId, auId: au.id, courseId: structure.courseId, sessionId, launchData, launchedStatementId: null, token: null, fetches: 0,
    };

    if (o.launchedStatement !== false) {
      // §9.3.1: the LMS records "launched" before launching, with the §9.6.3 extensions.
      const launchUrl = new URL(au.url, base).toString();
      const statement = {
        id: randomUUID(),
        actor: o.actor,
        verb: { id: VERBS.launched, display: { 'en-US': 'Launched' } },
        object: { objectType: 'Activity', id: activityId },
        context: {
          registration: o.registration,
          contextActivities: {
            ...launchData.contextTemplate.contextActivities,
            category: [{ objectType: 'Activity', id: CMI5.categoryCmi5 }],
          },
          extensions: {
            ...launchData.contextTemplate.extensions,
            [CMI5.launchMode]: launchData.launchMode,
            [CMI5.launchUrl]: launchUrl,
            [CMI5.moveOnExtension]: launchData.moveOn,
            ...(launchData.masteryScore !== undefined ? { [CMI5.masteryScore]: launchData.masteryScore } : {}),
            ...(launchData.launchParameters !== undefined ? { [CMI5.launchParameters]: launchData.launchParameters } : {}),
          },
        },
        timestamp: new Date().toISOString(),
      };
      const res = await fetch(lrsEndpoint + 'statements', {
        method: 'POST',
        headers: { authorization: options.lrs.authorization, 'x-experience-api-version': XAPI_VERSION, 'content-type': 'application/json' },
        body: JSON.stringify([statement]),
      });
      if (!res.ok) throw new Error(`the LRS refused the launched statement: ${res.status} ${await res.text()}`);
      launch.launchedStatementId = statement.id;
    }
    launches.push(launch);
    fetchKeys.set(key, launch);
    return launch;
  }

  // -- HTTP --

  function corsHeaders(req: IncomingMessage): Record<string, string> {
    const o = req.headers.origin ?? null;
    if (!o || !allowedOrigin(o)) return {};
    return {
      'access-control-allow-origin': o,
      vary: 'Origin',
      'access-control-expose-headers': 'ETag, Last-Modified, Content-Type, X-Experience-API-Version, X-Experience-API-Consistent-Through, Retry-After',
    };
  }

  interface Answer {
    status: number;
    body?: string | Buffer;
    headers?: Record<string, string>;
    note?: string;
    problem?: string;
  }

  const json = (status: number, value: unknown, extra: Partial<Answer> = {}): Answer => ({
    ...extra,
    status,
    body: JSON.stringify(value),
    headers: { 'content-type': 'application/json', ...(extra.headers ?? {}) },
  });
  const error = (status: number, message: string, problem = true): Answer =>
    json(status, { error: message }, problem ? { problem: message } : {});

  async function readBody(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  function authorize(req: IncomingMessage): Launch | null {
    const h = req.headers.authorization;
    if (!h) return null;
    return credentials.get(h) ?? null;
  }

  function parseAgent(raw: string | undefined): Agent | Answer {
    if (raw === undefined) return error(400, 'agent parameter missing');
    try {
      const agent = JSON.parse(raw) as Agent;
      agentKey(agent);
      return agent;
    } catch {
      return error(400, `agent parameter is not an Agent: ${raw}`);
    }
  }

  /** Conditional request headers (xAPI Communication §3.1). */
  function preconditions(req: IncomingMessage, existing: Doc | undefined, requireForPut: boolean): Answer | null {
    const ifMatch = req.headers['if-match'];
    const ifNoneMatch = req.headers['if-none-match'];
    if (ifMatch !== undefined) {
      const tags = ifMatch.split(',').map((t) => t.trim().replace(/^W\//, '').replace(/^"|"$/g, ''));
      if (!existing || !(tags.includes('*') || tags.includes(existing.etag))) return error(412, `If-Match ${ifMatch} does not match`);
    }
    if (ifNoneMatch !== undefined && ifNoneMatch.trim() === '*' && existing) return error(412, 'If-None-Match: * but the document exists');
    if (requireForPut && req.method === 'PUT' && existing && ifMatch === undefined && ifNoneMatch === undefined) {
      return error(409, 'the document exists: check its current state and send If-Match with its ETag');
    }
    return null;
  }

  async function documentResource(req: IncomingMessage, resource: Resource, query: Record<string, string>): Promise<Answer> {
    const agent = parseAgent(query.agent);
    if ('status' in agent) return agent as Answer;
    let idName: string;
    let scope: string;
    if (resource === 'state') {
      if (!query.activityId) return error(400, 'activityId parameter missing');
      if (query.registration !== undefined && !UUID.test(query.registration)) return error(400, `registration is not a UUID: ${query.registration}`);
      idName = 'stateId';
      scope = stateScope({ activityId: query.activityId, agent, registration: query.registration });
    } else {
      idName = 'profileId';
      scope = profileScope(agent);
    }
    const docId = query[idName];
    const key = docId === undefined ? null : docKey(scope, docId);
    const inScope = () => [...docs.values()].filter((d) => d.scope === scope);

    switch (req.method) {
      case 'GET':
      case 'HEAD': {
        if (key === null) {
          const since = query.since ? Date.parse(query.since) : null;
          const ids = inScope()
            .filter((d) => since === null || d.updated.getTime() > since)
            .map((d) => d.id);
          const last = Math.max(0, ...inScope().map((d) => d.updated.getTime()));
          return json(200, ids, last ? { headers: { 'last-modified': new Date(last).toUTCString() } } : {});
        }
        const doc = docs.get(key);
        if (!doc) return { status: 404, body: '', note: `no ${idName} ${docId}` };
        return {
          status: 200,
          body: doc.body,
          headers: { 'content-type': doc.contentType, etag: `"${doc.etag}"`, 'last-modified': doc.updated.toUTCString() },
        };
      }
      case 'PUT':
      case 'POST': {
        if (key === null) return error(400, `${idName} parameter missing`);
        const existing = docs.get(key);
        const failed = preconditions(req, existing, resource !== 'state');
        if (failed) return failed;
        const body = await readBody(req);
        const contentType = req.headers['content-type'] ?? 'application/octet-stream';
        if (req.method === 'POST' && existing) {
          // §2.2 JSON procedure: merge top-level properties; both must be JSON objects.
          const isJson = (t: string) => /^application\/json\b/i.test(t);
          let posted: unknown;
          try {
            posted = JSON.parse(body.toString('utf8'));
          } catch {
            posted = undefined;
          }
          const objectLike = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v);
          if (!isJson(contentType) || !isJson(existing.contentType) || !objectLike(posted) || !objectLike(existing.json)) {
            return error(400, `POST ${idName} ${docId}: both documents must be JSON objects to merge`);
          }
          const merged = { ...(existing.json as object), ...(posted as object) };
          docs.set(key, makeDoc(scope, docId!, 'application/json', Buffer.from(JSON.stringify(merged))));
          return { status: 204 };
        }
        if (req.method === 'POST' && /^application\/json\b/i.test(contentType)) {
          try {
            const v = JSON.parse(body.toString('utf8'));
            if (!v || typeof v !== 'object' || Array.isArray(v)) return error(400, `POST ${idName} ${docId}: not a JSON object`);
          } catch {
            return error(400, `POST ${idName} ${docId}: not JSON`);
          }
        }
        docs.set(key, makeDoc(scope, docId!, contentType, body));
        return { status: 204 };
      }
      case 'DELETE': {
        if (key === null) {
          if (resource !== 'state') return error(400, 'profileId parameter missing');
          for (const d of inScope()) docs.delete(docKey(d.scope, d.id));
          return { status: 204 };
        }
        const failed = preconditions(req, docs.get(key), false);
        if (failed) return failed;
        docs.delete(key);
        return { status: 204 };
      }
      default:
        return error(405, `${req.method} is not allowed on ${resource}`);
    }
  }

  async function forwardStatements(req: IncomingMessage, rawQuery: string, record: RequestRecord): Promise<Answer> {
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
    if (body && body.length) {
      try {
        const parsed = JSON.parse(body.toString('utf8'));
        record.statements = (Array.isArray(parsed) ? parsed : [parsed]) as Statement[];
        if (req.method === 'PUT' && record.statements[0] && !record.statements[0].id) {
          record.statements[0] = { ...record.statements[0], id: record.query.statementId };
        }
      } catch {
        /* the LRS will say so */
      }
    }
    if (hold && req.method !== 'GET' && hold.match(record.statements ?? [])) {
      const h = hold;
      h.count++;
      record.note = 'held by the test';
      h.arrived(record);
      await h.gate;
    }
    const ids = (record.statements ?? []).map((x) => x?.id).filter((id): id is string => typeof id === 'string');
    if (adlConflicts && req.method !== 'GET' && ids.some((id) => storedIds.has(id))) {
      return json(409, { error: `statement id(s) already stored: ${ids.filter((id) => storedIds.has(id)).join(', ')}` }, { note: 'injected 409 (ADL-style resend conflict)' });
    }
    const headers: Record<string, string> = { authorization: options.lrs.authorization };
    for (const h of ['content-type', 'x-experience-api-version', 'accept', 'accept-language', 'if-match', 'if-none-match']) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    let res: Response;
    try {
      res = await fetch(`${lrsEndpoint}statements${rawQuery}`, { method: req.method, headers, body: body ? new Uint8Array(body) : undefined });
    } catch (e) {
      return error(503, `the LRS behind the stand-in is unreachable: ${(e as Error).message}`, false);
    }
    let text = await res.text();
    const out: Record<string, string> = {};
    for (const h of ['content-type', 'x-experience-api-version', 'x-experience-api-consistent-through', 'last-modified', 'etag']) {
      const v = res.headers.get(h);
      if (v) out[h] = v;
    }
    if (res.ok && /json/.test(out['content-type'] ?? '')) {
      // `more` is relative to the LRS's root: make it point here.
      text = text.replace(/"more"\s*:\s*"\/xAPI\/statements/, '"more":"/xapi/statements');
    }
    if (res.ok && req.method !== 'GET') for (const id of ids) storedIds.add(id);
    if (res.ok && req.method === 'POST' && /^\[/.test(text)) for (const id of JSON.parse(text) as string[]) storedIds.add(id);
    const answer: Answer = { status: res.status, body: text, headers: out };
    if (res.status >= 400) answer.problem = `the LRS answered ${res.status} to ${req.method} statements: ${text.slice(0, 300)}`;
    return answer;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url || '/', origin);
    const query = Object.fromEntries(url.searchParams);
    const requestOrigin = req.headers.origin ?? null;
    const record: RequestRecord = {
      seq: ++seq, at: Date.now(), method: req.method ?? '', path: url.pathname, query, status: 0, origin: requestOrigin, launch: null,
    };
    requests.push(record);
    const cors = corsHeaders(req);
    if (requestOrigin && !allowedOrigin(requestOrigin)) problems.push(`#${record.seq} ${req.method} ${url.pathname}: origin ${requestOrigin} is not allowed`);

    const finish = async (a: Answer, delay = 0): Promise<void> => {
      record.status = a.status;
      if (a.note) record.note = a.note;
      if (a.problem) {
        record.note = a.problem;
        problems.push(`#${record.seq} ${req.method} ${record.path}: ${a.problem}`);
      }
      if (delay) await sleep(delay);
      if (res.destroyed) return;
      const body = a.body === undefined ? '' : a.body;
      res.writeHead(a.status, {
        'cache-control': 'no-store',
        ...cors,
        ...(record.path.startsWith('/xapi/') ? { 'x-experience-api-version': XAPI_VERSION } : {}),
        ...(a.headers ?? {}),
        ...(a.status === 204 ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
      });
      res.end(req.method === 'HEAD' || a.status === 204 ? undefined : body);
    };

    // CORS preflight: the methods and headers of the xAPI, for allowed origins.
    if (req.method === 'OPTIONS') {
      if (!allowedOrigin(requestOrigin)) return finish({ status: 403, body: '' });
      return finish({
        status: 204,
        headers: {
          'access-control-allow-methods': 'GET, HEAD, PUT, POST, DELETE, OPTIONS',
          'access-control-allow-headers': String(req.headers['access-control-request-headers'] ?? 'Authorization, Content-Type, X-Experience-API-Version, If-Match, If-None-Match'),
          'access-control-max-age': '60',
        },
      });
    }

    // cmi5 §8.2: the one-time fetch URL.
    const fetchMatch = /^\/cmi5\/fetch\/([0-9a-f]+)$/.exec(url.pathname);
    if (fetchMatch) {
      record.path = url.pathname;
      const launch = fetchKeys.get(fetchMatch[1]);
      if (req.method !== 'POST') return finish(json(405, { 'error-code': '3', 'error-text': 'Use POST.' }, { problem: `${req.method} on the fetch URL (§8.2.1: POST only)` }));
      await readBody(req);
      if (!launch) return finish(json(200, { 'error-code': '2', 'error-text': 'Unknown fetch URL.' }, { problem: 'fetch URL of no launch' }));
      record.launch = launch.id;
      launch.fetches++;
      if (launch.token) {
        return finish(json(200, { 'error-code': '1', 'error-text': 'The authorization token has already been returned.' },
          { problem: `launch ${launch.id}: fetch URL used ${launch.fetches} times (§8.2.1: once)` }));
      }
      launch.token = issueCredentials(launch);
      credentials.set(`Basic ${launch.token}`, launch);
      return finish(json(200, { 'auth-token': launch.token }));
    }

    if (!url.pathname.startsWith('/xapi/')) return finish(error(404, `nothing at ${url.pathname}`));
    const path = url.pathname.slice('/xapi/'.length).replace(/\/$/, '');
    record.path = path;

    if (outage) {
      const expired = (outage.until !== null && Date.now() >= outage.until) || outage.left === 0;
      if (expired) outage = null;
      else if (!outage.only || outage.only.test(path)) {
        if (outage.left !== null) outage.left--;
        await readBody(req);
        return finish({
          status: outage.status,
          body: JSON.stringify({ error: `HTTP ${outage.status} (fault injected by the test)` }),
          headers: { 'content-type': 'application/json', ...(outage.retryAfter !== undefined ? { 'retry-after': String(outage.retryAfter) } : {}) },
          note: `injected ${outage.status}`,
        });
      }
    }

    if (path === 'about') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return finish(error(405, `${req.method} about`));
      return finish(json(200, { version: [XAPI_VERSION] }), delayMs);
    }

    const launch = authorize(req);
    record.launch = launch?.id ?? null;
    if (!launch) {
      await readBody(req);
      const h = req.headers.authorization;
      return finish(error(401, h ? `Authorization ${h.slice(0, 40)}… was not issued by this LMS` : 'no Authorization header'));
    }
    const version = req.headers['x-experience-api-version'];
    if (typeof version !== 'string' || !/^1\.0(\.\d+)?$/.test(version.trim())) {
      await readBody(req);
      return finish(error(400, `X-Experience-API-Version ${version === undefined ? 'missing' : JSON.stringify(version)}`));
    }

    let answer: Answer;
    if (path === 'statements') answer = await forwardStatements(req, url.search, record);
    else if (path === 'activities/state') answer = await documentResource(req, 'state', query);
    else if (path === 'agents/profile') answer = await documentResource(req, 'agent-profile', query);
    else {
      await readBody(req);
      answer = error(404, `no resource ${path}`);
    }
    return finish(answer, delayMs);
  }

  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      problems.push(`stand-in crashed on ${req.method} ${req.url}: ${(e as Error).stack}`);
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e));
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  let listening = false;
  const listen = () =>
    new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', fail);
        listening = true;
        ok();
      });
    });
  const stop = () =>
    new Promise<void>((ok) => {
      if (!listening) return ok();
      listening = false;
      server.close(() => ok());
      server.closeAllConnections();
      for (const s of sockets) s.destroy();
    });
  await listen();

  return {
    origin,
    endpoint,
    port,
    launches,
    requests,
    problems,
    get listening() {
      return listening;
    },
    tinCanLaunch,
    async tinCanLaunchUrl(base, o) {
      return (await tinCanLaunch(base, o)).url;
    },
    cmi5Launch,
    state(q) {
      return docs.get(docKey(stateScope(q), q.stateId)) ?? null;
    },
    putState(q, doc) {
      putValue(stateScope(q), q.stateId, doc);
    },
    agentProfile(agent, profileId) {
      return docs.get(docKey(profileScope(agent), profileId)) ?? null;
    },
    setAgentProfile(agent, profileId, doc) {
      putValue(profileScope(agent), profileId, doc);
    },
    stop,
    async restart() {
      await stop();
      await listen();
    },
    unavailable(o = {}) {
      outage = { until: o.ms !== undefined ? Date.now() + o.ms : null, left: o.requests ?? null, retryAfter: o.retryAfter, only: o.only, status: o.status ?? 503 };
    },
    conflictOnResend(on) {
      adlConflicts = on;
    },
    holdStatements(match = () => true) {
      let arrived!: (r: RequestRecord) => void;
      let open!: () => void;
      const held = new Promise<RequestRecord>((r) => (arrived = r));
      const gate = new Promise<void>((r) => (open = r));
      const h = { match, arrived, gate, count: 0 };
      hold = h;
      return {
        held,
        count: () => h.count,
        release() {
          if (hold === h) hold = null;
          open();
        },
      };
    },
    available() {
      outage = null;
    },
    latency(ms) {
      delayMs = ms;
    },
    close: stop,
  };
}
