/**
 * What differs between the Tin Can and the cmi5 runs of the xAPI browser tests, in one place: how
 * a registration is launched, which statements are the course's (a cmi5 LMS records "launched"),
 * which activity ids are the course's, the standard's own rules, and when a session has ended.
 */
import { CMI5, VERBS, checkCmi5, errors, type Cmi5Launch, type Launch, type Statement } from '../support/lrs/index.ts';
import { ACTOR, quiet, settle, type Env, type Kind } from './run.ts';

export const sessionOf = (s: Statement) => s.context?.extensions?.[CMI5.sessionId] as string | undefined;

export interface XapiStandard {
  kind: Kind;
  /** A launch of the registration, as this standard's LMS makes it. */
  launch(env: Env, registration: string, options?: { endpointWithoutSlash?: boolean; returnURL?: string; launchMode?: 'Normal' | 'Browse' | 'Review' }): Promise<Launch>;
  /** The statements the course made (not the LMS's). */
  fromCourse(all: Statement[], launches: Launch[]): Statement[];
  /** Whether an activity id is one of the course's parts (pages, interactions). */
  inCourse(env: Env, launches: Launch[]): (id: string) => boolean;
  /** The standard's own rules over the registration's statements, broken ones listed. */
  ruleErrors(all: Statement[], launches: Launch[], options?: { abandoned?: string[] }): string[];
  /** The registration's statements once the last launch's session has ended. */
  ended(env: Env, registration: string, launches: Launch[], quietMs?: number): Promise<Statement[]>;
}

const underCourse = (env: Env) => (id: string) => id.startsWith(env.compiled.course.id + '/');
const cmi5Launches = (launches: Launch[]) => launches.filter((l): l is Cmi5Launch => l.kind === 'cmi5');

export const STANDARDS: Record<Kind, XapiStandard> = {
  xapi: {
    kind: 'xapi',
    launch: (env, registration, o = {}) => env.lms.tinCanLaunch(env.base, { actor: ACTOR, registration, endpointWithoutSlash: o.endpointWithoutSlash }),
    fromCourse: (all) => all,
    inCourse: underCourse,
    ruleErrors: () => [],
    ended: (env, registration, _launches, quietMs) => quiet(env, registration, quietMs),
  },
  cmi5: {
    kind: 'cmi5',
    launch: (env, registration, o = {}) => env.lms.cmi5Launch(env.base, { actor: ACTOR, registration, ...o }),
    fromCourse: (all, launches) => all.filter((s) => !cmi5Launches(launches).some((l) => l.launchedStatementId === s.id)),
    inCourse: (env, launches) => (id) =>
      id !== launches[0]?.activityId && (underCourse(env)(id) || id.startsWith(launches[0]?.activityId + '/')),
    ruleErrors: (all, launches, options = {}) => errors(checkCmi5(all, cmi5Launches(launches), options)),
    async ended(env, registration, launches, quietMs) {
      const sid = (launches.at(-1) as Cmi5Launch).sessionId;
      const list = await settle(env, registration, (l) => l.some((x) => sessionOf(x) === sid && x.verb.id === VERBS.terminated), 30_000);
      // Asked to wait for quiet too: what a slow LRS stores after terminated must show.
      return quietMs ? quiet(env, registration, quietMs) : list;
    },
  },
};
