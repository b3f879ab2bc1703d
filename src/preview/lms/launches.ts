/**
 * Launching packages as an LMS does: Tin Can launch URLs (endpoint, auth, actor, registration,
 * activity_id, from tincan.xml), and cmi5 launches (cmi5 §8, §10: an LMS-generated AU activity id,
 * `LMS.LaunchData` with a fresh session id, a "launched" statement, a one-time fetch URL). It
 * issues the credentials each launch may use and knows which launch a credential belongs to.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { json, type Answer } from './answer.ts';
import { readCmi5Xml, readTinCanXml } from './descriptors.ts';
import type { Documents } from './documents.ts';
import type { StatementStore } from './statements.ts';
import { CMI5, UUID, VERBS, type Agent, type LaunchData, type LaunchMode, type MoveOn, type Statement } from './vocabulary.ts';

interface LaunchBase {
  /** The stand-in's own id of this launch. */
  id: string;
  url: string;
  /** The `endpoint` parameter as sent. */
  endpoint: string;
  actor: Agent;
  registration: string;
}

export interface TinCanLaunch extends LaunchBase {
  kind: 'tincan';
  /** The `auth` parameter: the whole Authorization header value the course must send. */
  auth: string;
  /** From tincan.xml: the activity whose `<launch>` was used. */
  activityId: string;
  launchHref: string;
}

export interface Cmi5Launch extends LaunchBase {
  kind: 'cmi5';
  fetchUrl: string;
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

export interface TinCanLaunchOptions {
  actor: Agent;
  registration: string;
  endpointWithoutSlash?: boolean;
  /** Where the course reaches the stand-in, when not at its own origin (the preview by `localhost`). */
  origin?: string;
}

export interface Cmi5LaunchOptions extends TinCanLaunchOptions {
  auId?: string;
  launchMode?: LaunchMode;
  moveOn?: MoveOn;
  /** From cmi5.xml unless given; null leaves it out. */
  masteryScore?: number | null;
  returnURL?: string;
  launchParameters?: string;
  /** Records "launched" (§9.3.1) unless false. */
  launchedStatement?: boolean;
}

const sha1 = (data: string): string => createHash('sha1').update(data).digest('hex');

export function createLaunches(lms: { origin: string; documents: Documents; statements: StatementStore }) {
  const launches: Launch[] = [];
  /** Authorization header value → launch. */
  const credentials = new Map<string, Launch>();
  /** fetch key → cmi5 launch. */
  const fetchKeys = new Map<string, Cmi5Launch>();

  const issueToken = (kind: string, id: string) => Buffer.from(`${kind}-${id}:${randomBytes(12).toString('hex')}`).toString('base64');
  const endpointOf = (o: TinCanLaunchOptions) => `${o.origin ?? lms.origin}/xapi${o.endpointWithoutSlash ? '' : '/'}`;
  const launchUrl = (href: string, base: string, params: Record<string, string>) => {
    const url = new URL(href, base);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return url.toString();
  };

  /** Launches the course activity of tincan.xml (else its first activity with a `<launch>`). */
  function tinCanLaunch(tincanXml: string, packageBaseUrl: string, o: TinCanLaunchOptions): TinCanLaunch {
    const activities = readTinCanXml(tincanXml);
    if (!activities.length) throw new Error(`${packageBaseUrl}tincan.xml: no activity with a <launch>`);
    const course = activities.find((a) => a.type === 'http://adlnet.gov/expapi/activities/course') ?? activities[0];
    const id = String(launches.length + 1);
    const auth = `Basic ${issueToken('tincan', id)}`;
    const endpoint = endpointOf(o);
    const url = launchUrl(course.launch, packageBaseUrl, {
      endpoint, auth, actor: JSON.stringify(o.actor), registration: o.registration, activity_id: course.activityId,
    });
    const launch: TinCanLaunch = {
      kind: 'tincan', id, url, endpoint, auth, actor: o.actor, registration: o.registration, activityId: course.activityId, launchHref: course.launch,
    };
    launches.push(launch);
    credentials.set(auth, launch);
    return launch;
  }

  /** Prepares a launch of an AU of cmi5.xml (the first, or `auId`) and returns it. */
  async function cmi5Launch(cmi5Xml: string, packageBaseUrl: string, o: Cmi5LaunchOptions): Promise<Cmi5Launch> {
    const structure = readCmi5Xml(cmi5Xml);
    const au = o.auId ? structure.aus.find((a) => a.id === o.auId) : structure.aus[0];
    if (!au) throw new Error(`${packageBaseUrl}cmi5.xml: no AU ${o.auId}`);
    if (!UUID.test(o.registration)) throw new Error(`registration must be a UUID: ${o.registration}`);
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
    lms.documents.putState({ activityId, agent: o.actor, registration: o.registration, stateId: CMI5.launchDataStateId }, launchData);
    const key = randomBytes(16).toString('hex');
    const fetchUrl = `${o.origin ?? lms.origin}/cmi5/fetch/${key}`;
    const endpoint = endpointOf(o);
    const url = launchUrl(au.url, packageBaseUrl, { endpoint, fetch: fetchUrl, actor: JSON.stringify(o.actor), registration: o.registration, activityId });
    const launch: Cmi5Launch = {
      kind: 'cmi5', id: String(launches.length + 1), url, endpoint, fetchUrl, actor: o.actor, registration: o.registration,
      activityId, auId: au.id, courseId: structure.courseId, sessionId, launchData, launchedStatementId: null, token: null, fetches: 0,
    };
    if (o.launchedStatement !== false) {
      const statement = launchedStatement(launch, new URL(au.url, packageBaseUrl).toString());
      await lms.statements.record([statement]);
      launch.launchedStatementId = statement.id;
    }
    launches.push(launch);
    fetchKeys.set(key, launch);
    return launch;
  }

  /** cmi5 §8.2: POST to the fetch URL gives the auth-token once; later POSTs an error (200, §8.2.3). */
  function fetchToken(key: string, method: string): Answer & { launch?: Launch } {
    if (method !== 'POST') return json(405, { 'error-code': '3', 'error-text': 'Use POST.' }, { problem: `${method} on the fetch URL (§8.2.1: POST only)` });
    const launch = fetchKeys.get(key);
    if (!launch) return json(200, { 'error-code': '2', 'error-text': 'Unknown fetch URL.' }, { problem: 'fetch URL of no launch' });
    launch.fetches++;
    if (launch.token) {
      return { ...json(200, { 'error-code': '1', 'error-text': 'The authorization token has already been returned.' },
        { problem: `launch ${launch.id}: fetch URL used ${launch.fetches} times (§8.2.1: once)` }), launch };
    }
    launch.token = issueToken('cmi5', launch.id);
    credentials.set(`Basic ${launch.token}`, launch);
    return { ...json(200, { 'auth-token': launch.token }), launch };
  }

  return {
    launches,
    tinCanLaunch,
    cmi5Launch,
    fetchToken,
    /** The launch an Authorization header value was issued to, or null. */
    authorize: (header: string | undefined): Launch | null => (header ? credentials.get(header) ?? null : null),
  };
}

/** §9.3.1: the LMS records "launched" before launching, with the §9.6.3 extensions. */
function launchedStatement(launch: Cmi5Launch, launchUrl: string): Statement {
  const { launchData } = launch;
  return {
    id: randomUUID(),
    actor: launch.actor as Record<string, unknown>,
    verb: { id: VERBS.launched, display: { 'en-US': 'Launched' } },
    object: { objectType: 'Activity', id: launch.activityId },
    context: {
      registration: launch.registration,
      contextActivities: { ...launchData.contextTemplate.contextActivities, category: [{ objectType: 'Activity', id: CMI5.categoryCmi5 }] },
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
}
