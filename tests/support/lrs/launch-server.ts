/**
 * The "LMS" a browser test launches an xAPI or cmi5 package from: the LMS/LRS stand-in of
 * `coursepack preview` (src/preview/lms) — the same spec-driven code — with the test's additions
 * on top: statements kept by the real LRS (forwarding.ts), package descriptors read over HTTP,
 * every request logged (`requests`) and whatever a conforming client would not have caused listed
 * in `problems`, and fault injection: stop and restart on the same port (open connections dropped),
 * answer 503 (or another status) for a while, answer late, hold statements, ADL-style 409s.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createStandIn, xapiPath, type Exchange } from '../../../src/preview/lms/stand-in.ts';
import { readBody } from '../../../src/preview/lms/answer.ts';
import type { DocumentQuery, StoredDocument } from '../../../src/preview/lms/documents.ts';
import type { Cmi5Launch, Cmi5LaunchOptions, Launch, TinCanLaunch, TinCanLaunchOptions } from '../../../src/preview/lms/launches.ts';
import type { Agent, Statement } from '../../../src/preview/lms/vocabulary.ts';
import { serveHttp } from '../http.ts';
import { forwardStatements, type Hold } from './forwarding.ts';
import { freePort, type Lrs } from './lrs.ts';

export * from '../../../src/preview/lms/vocabulary.ts';
export * from '../../../src/preview/lms/descriptors.ts';
export type { Cmi5Launch, DocumentQuery, Launch, StoredDocument, TinCanLaunch };

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

interface Outage { until: number | null; left: number | null; retryAfter?: number; only?: RegExp; status: number }

export type StandIn = Awaited<ReturnType<typeof startLaunchServer>>;

/** Joins an endpoint and a resource path whether or not the endpoint ends with `/`. */
export const joinEndpoint = (endpoint: string, path: string): string => endpoint.replace(/\/?$/, '/') + path;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LOCAL_ORIGIN = /^http:\/\/(127\.0\.0\.1|localhost):\d+$/;

async function fetchText(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} → ${res.status}`);
  return res.text();
}

/** Injected outages: a status (503) for `ms`, or for the next `requests` requests, on the paths `only` matches. */
function createOutage() {
  let outage: Outage | null = null;
  return {
    start(o: { ms?: number; requests?: number; retryAfter?: number; only?: RegExp; status?: number } = {}) {
      outage = { until: o.ms !== undefined ? Date.now() + o.ms : null, left: o.requests ?? null, retryAfter: o.retryAfter, only: o.only, status: o.status ?? 503 };
    },
    end() {
      outage = null;
    },
    /** The outage's answer to this xAPI path, or null. */
    answer(path: string): Exchange | null {
      if (!outage) return null;
      if ((outage.until !== null && Date.now() >= outage.until) || outage.left === 0) {
        outage = null;
        return null;
      }
      if (outage.only && !outage.only.test(path)) return null;
      if (outage.left !== null) outage.left--;
      return {
        path, launch: null, status: outage.status, note: `injected ${outage.status}`,
        body: JSON.stringify({ error: `HTTP ${outage.status} (fault injected by the test)` }),
        headers: { 'content-type': 'application/json', ...(outage.retryAfter !== undefined ? { 'retry-after': String(outage.retryAfter) } : {}) },
      };
    },
  };
}

export async function startLaunchServer(options: StandInOptions) {
  const port = options.port ?? (await freePort());
  const forwarding = forwardStatements(options.lrs);
  const lms = createStandIn({
    origin: `http://127.0.0.1:${port}`,
    origins: options.origins ?? ((o) => LOCAL_ORIGIN.test(o)),
    statements: forwarding.store,
  });
  const requests: RequestRecord[] = [];
  const problems: string[] = [];
  const outage = createOutage();
  let delayMs = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url || '/', lms.origin);
    const record: RequestRecord = {
      seq: requests.length + 1, at: Date.now(), method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams),
      status: 0, origin: req.headers.origin ?? null, launch: null,
    };
    requests.push(record);
    const path = xapiPath(url.pathname);
    // Faults hit xAPI requests only: not CORS preflights, not the fetch URL.
    const fault = path !== null && req.method !== 'OPTIONS' && lms.allowedOrigin(req.headers.origin) ? outage.answer(path) : null;
    if (fault) await readBody(req);
    const a = fault ?? (await lms.answer(req, url));
    Object.assign(record, { path: a.path, status: a.status, launch: a.launch?.id ?? null }, a.statements ? { statements: a.statements } : {});
    if (a.note) record.note = a.note;
    if (a.problem) {
      record.note = a.problem;
      problems.push(`#${record.seq} ${req.method} ${record.path}: ${a.problem}`);
    }
    if (path !== null && !fault && delayMs) await sleep(delayMs);
    lms.write(req, res, a);
  }

  const http = await serveHttp(handle, {
    port,
    onCrash: (req, e) => problems.push(`stand-in crashed on ${req.method} ${req.url}: ${e.stack}`),
  });

  async function tinCanLaunch(packageBaseUrl: string, o: TinCanLaunchOptions): Promise<TinCanLaunch> {
    const base = packageBaseUrl.replace(/\/?$/, '/');
    return lms.tinCanLaunch(await fetchText(base + 'tincan.xml'), base, o);
  }

  return {
    origin: lms.origin,
    /** `${origin}/xapi/` — the LRS endpoint handed to the course. */
    endpoint: lms.endpoint,
    port,
    launches: lms.launches,
    requests,
    /** What a conforming client would not have caused, one line each. */
    problems,
    get listening() {
      return http.listening;
    },
    /** Reads tincan.xml from the served package and issues Basic credentials for the launch. */
    tinCanLaunch,
    /** The Tin Can launch URL of the package's course activity. */
    async tinCanLaunchUrl(packageBaseUrl: string, o: TinCanLaunchOptions): Promise<string> {
      return (await tinCanLaunch(packageBaseUrl, o)).url;
    },
    /**
     * Prepares a cmi5 launch of an AU of the package (the first, or `auId`): writes LMS.LaunchData
     * (moveOn, masteryScore and launchParameters from cmi5.xml unless given; `masteryScore: null`
     * leaves it out), records "launched" and returns the AU launch URL.
     */
    async cmi5Launch(packageBaseUrl: string, o: Cmi5LaunchOptions): Promise<Cmi5Launch> {
      const base = packageBaseUrl.replace(/\/?$/, '/');
      return lms.cmi5Launch(await fetchText(base + 'cmi5.xml'), base, o);
    },
    state: (q: DocumentQuery): StoredDocument | null => lms.documents.state(q),
    /** Writes a State document as a PUT would (JSON for objects, else the string as text/plain). */
    putState: (q: DocumentQuery, doc: unknown) => lms.documents.putState(q, doc),
    agentProfile: (agent: Agent, profileId: string) => lms.documents.agentProfile(agent, profileId),
    setAgentProfile: (agent: Agent, profileId: string, doc: unknown) => lms.documents.setAgentProfile(agent, profileId, doc),
    /** Closes the listening socket and drops every open connection. */
    stop: () => http.stop(),
    /** Listens again on the same port (everything stored is kept). */
    restart: () => http.restart(),
    /**
     * Answers 503 (or `status`) to xAPI requests (not to CORS preflights or the fetch URL) for `ms`,
     * or for the next `requests` requests, or until `available()`; `only` narrows it to some paths.
     */
    unavailable: outage.start,
    available: outage.end,
    /**
     * As ADL's reference LRS does: a statements POST/PUT holding an id already stored is answered
     * 409 as a whole, even when the content is identical. Off by default (Learning Locker answers
     * 200 to an identical resend).
     */
    conflictOnResend: forwarding.conflictOnResend,
    /**
     * Holds every statements POST/PUT whose statements `match` (default: all), after its body has
     * arrived and before it goes to the LRS, until `release()`: a slow LRS while the page goes on,
     * and maybe goes away. Other requests pass, so they can overtake the held ones.
     */
    holdStatements: (match?: (statements: Statement[]) => boolean): Hold => forwarding.holdStatements(match),
    /** Delays every xAPI answer by `ms` (after the request was handled); 0 turns it off. */
    latency(ms: number) {
      delayMs = ms;
    },
    close: () => http.close(),
  };
}
