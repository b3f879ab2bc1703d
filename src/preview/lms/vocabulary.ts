/**
 * The words of xAPI 1.0.3 and cmi5 that the LMS/LRS stand-in speaks, and the identity of an agent.
 */
import {
  CMI5_CATEGORY, CMI5_LAUNCH_DATA, CMI5_LAUNCH_MODE, CMI5_LAUNCH_PARAMETERS, CMI5_LAUNCH_URL,
  CMI5_LEARNER_PREFERENCES, CMI5_MASTERY_SCORE, CMI5_MOVEON, CMI5_MOVEON_CATEGORY, CMI5_SESSION_ID,
} from '../../runtime/xapi/cmi5-vocabulary.ts';

export const XAPI_VERSION = '1.0.3';

/** The cmi5 IRIs as the runtime defines them, by the names the stand-in uses. */
export const CMI5 = {
  sessionId: CMI5_SESSION_ID,
  masteryScore: CMI5_MASTERY_SCORE,
  launchMode: CMI5_LAUNCH_MODE,
  launchUrl: CMI5_LAUNCH_URL,
  moveOnExtension: CMI5_MOVEON,
  launchParameters: CMI5_LAUNCH_PARAMETERS,
  categoryCmi5: CMI5_CATEGORY,
  categoryMoveOn: CMI5_MOVEON_CATEGORY,
  progress: 'https://w3id.org/xapi/cmi5/result/extensions/progress',
  reason: 'https://w3id.org/xapi/cmi5/result/extensions/reason',
  launchDataStateId: CMI5_LAUNCH_DATA,
  learnerPreferences: CMI5_LEARNER_PREFERENCES,
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

/** An xAPI statement as JSON (loosely typed: the stand-in stores what the course sent). */
export interface Statement {
  id: string;
  actor: Record<string, any>;
  verb: { id: string; display?: Record<string, string> };
  object: Record<string, any>;
  result?: Record<string, any>;
  context?: Record<string, any>;
  timestamp?: string;
  stored?: string;
  authority?: Record<string, any>;
  version?: string;
  [key: string]: unknown;
}

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

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
