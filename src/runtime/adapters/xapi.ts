/**
 * xAPI 1.0.3 as a Tin Can package: the LMS launches `index.html` with `endpoint`, `auth`, `actor`,
 * `registration` and `activity_id` in the query string (credentials arrive at launch; the
 * package never holds any). Without a usable launch (opened straight from the file, or an LMS
 * that sent no endpoint or actor) the course runs on this browser's storage, like the web build.
 *
 * Statements go through the persistent queue (src/runtime/xapi/queue.ts); the learner state lives
 * in the State resource (src/runtime/xapi/state-document.ts). Every call after `start` returns at once.
 */
import type { LmsAdapter } from './types.ts';
import { createLocalAdapter } from './local.ts';
import { createXapiSession, pageUrl, type XapiAdapterOptions } from './xapi-session.ts';
import { parseTinCanLaunch } from '../xapi/launch.ts';
import { createLrs } from '../xapi/lrs.ts';
import { activity, courseDefinition } from '../xapi/statements.ts';

export { deviceCopy, localStore, pageHidden, pageUrl, type SessionOptions, type XapiAdapterOptions } from './xapi-session.ts';

export function createXapiAdapter(options: XapiAdapterOptions = {}): LmsAdapter {
  const launch = parseTinCanLaunch(options.url ?? pageUrl());
  if (!launch) return createLocalAdapter();
  const session = createXapiSession(options);
  return {
    ...session.calls,
    start(course) {
      const lrs = createLrs({ endpoint: launch.endpoint, auth: launch.auth, fetch: options.fetch });
      // The LMS knows the package by the id in tincan.xml, which is the course IRI; an LMS that
      // launches it under another id gets its own id back.
      const rootId = launch.activityId || course.id;
      return session.open(
        {
          course,
          lrs,
          actor: launch.actor,
          registration: launch.registration,
          root: activity(rootId, courseDefinition(course)),
          stateActivityId: rootId,
          mode: 'normal',
        },
        'normal',
      );
    },
  };
}
