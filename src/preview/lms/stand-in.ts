/**
 * An LMS and LRS stand-in written from the specs (xAPI 1.0.3 Communication; cmi5 §8–§11), kept in
 * memory and small. It is the LRS endpoint the course talks to (`${origin}/xapi/`): `about`, the
 * State and Agent Profile resources (documents.ts), and `statements`, kept by a StatementStore
 * (in memory for the preview, a real LRS in the tests). It launches packages (launches.ts) and
 * answers cmi5's one-time fetch URLs (`/cmi5/fetch/…`).
 *
 * It answers only the credentials it issued (401), requires X-Experience-API-Version (400) and a
 * JSON body for statements (415), and pages of other origins only when told to allow them (CORS);
 * any other origin is refused (403). `answer()` decides and `write()` sends, so whoever serves it
 * can watch, delay or replace answers (the tests' fault injection) without copying any of it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { error, isJsonType, json, readBody, type Answer } from './answer.ts';
import { createDocuments } from './documents.ts';
import { createLaunches, type Launch } from './launches.ts';
import type { StatementStore } from './statements.ts';
import { XAPI_VERSION, type Statement } from './vocabulary.ts';

export interface StandInOptions {
  /** Where it is served, `http://127.0.0.1:PORT`: launch URLs point here. */
  origin: string;
  /** Origins whose pages may call it besides its own (CORS). */
  origins?: string[] | ((origin: string) => boolean);
  statements: StatementStore;
  /** Headers for every answer (the preview's security headers). */
  headers?: Readonly<Record<string, string>>;
}

/** An answer with what it tells about the request. */
export interface Exchange extends Answer {
  /** Under `/xapi/`: the resource path (`statements`, `activities/state`…); else the URL path. */
  path: string;
  /** The launch whose credentials were used (null: none or not valid). */
  launch: Launch | null;
  /** Statements in a statements POST/PUT body, as sent. */
  statements?: Statement[];
}

const EXPOSED = 'ETag, Last-Modified, Content-Type, X-Experience-API-Version, X-Experience-API-Consistent-Through, Retry-After';

/** The resource path of an xAPI URL path (`/xapi/activities/state` → `activities/state`), or null. */
export const xapiPath = (pathname: string): string | null =>
  pathname.startsWith('/xapi/') ? pathname.slice('/xapi/'.length).replace(/\/$/, '') : null;

export type StandIn = ReturnType<typeof createStandIn>;

export function createStandIn(options: StandInOptions) {
  const documents = createDocuments();
  const launches = createLaunches({ origin: options.origin, documents, statements: options.statements });
  const others = options.origins ?? [];
  const allowedOrigin = (o: string | undefined): boolean =>
    o === undefined || o === options.origin || (typeof others === 'function' ? others(o) : others.includes(o));

  /** Decides the answer to one request; sends nothing. */
  async function answer(req: IncomingMessage, url: URL): Promise<Exchange> {
    const path = xapiPath(url.pathname) ?? url.pathname;
    const base = { path, launch: null };
    const origin = req.headers.origin;
    if (!allowedOrigin(origin)) {
      await readBody(req);
      return { ...base, ...error(403, `origin ${origin} is not allowed`) };
    }
    if (req.method === 'OPTIONS') return { ...base, ...preflight(req) };
    const fetchKey = /^\/cmi5\/fetch\/([0-9a-f]+)$/.exec(url.pathname)?.[1];
    if (fetchKey) {
      await readBody(req);
      const { launch = null, ...fetched } = launches.fetchToken(fetchKey, req.method ?? '');
      return { ...fetched, path, launch };
    }
    if (xapiPath(url.pathname) === null) return { ...base, ...(await refuse(req, 404, `nothing at ${url.pathname}`)) };
    if (path === 'about') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return { ...base, ...(await refuse(req, 405, `${req.method} about`)) };
      return { ...base, ...json(200, { version: [XAPI_VERSION] }) };
    }
    const launch = launches.authorize(req.headers.authorization);
    if (!launch) {
      const h = req.headers.authorization;
      return { ...base, ...(await refuse(req, 401, h ? `Authorization ${h.slice(0, 40)}… was not issued by this LMS` : 'no Authorization header')) };
    }
    const version = req.headers['x-experience-api-version'];
    if (typeof version !== 'string' || !/^1\.0(\.\d+)?$/.test(version.trim())) {
      return { ...base, launch, ...(await refuse(req, 400, `X-Experience-API-Version ${version === undefined ? 'missing' : JSON.stringify(version)}`)) };
    }
    if (path === 'statements') return { ...base, launch, ...(await statements(req, url)) };
    if (path === 'activities/state') return { ...base, launch, ...(await documents.handle(req, 'state', Object.fromEntries(url.searchParams))) };
    if (path === 'agents/profile') return { ...base, launch, ...(await documents.handle(req, 'agent-profile', Object.fromEntries(url.searchParams))) };
    return { ...base, launch, ...(await refuse(req, 404, `no resource ${path}`)) };
  }

  async function statements(req: IncomingMessage, url: URL): Promise<Answer & { statements?: Statement[] }> {
    const method = req.method ?? 'GET';
    const writes = method === 'POST' || method === 'PUT';
    if (writes && !isJsonType(req.headers['content-type'])) {
      return refuse(req, 415, `statements must be sent as application/json, not ${JSON.stringify(req.headers['content-type'] ?? '')}`);
    }
    const body = writes ? await readBody(req) : undefined;
    const sent = body ? parseStatements(body, method === 'PUT' ? url.searchParams.get('statementId') : null) : undefined;
    const answered = await options.statements.request({ method, search: url.search, query: url.searchParams, headers: req.headers, body, statements: sent });
    return { ...answered, statements: sent };
  }

  function preflight(req: IncomingMessage): Answer {
    return {
      status: 204,
      headers: {
        'access-control-allow-methods': 'GET, HEAD, PUT, POST, DELETE, OPTIONS',
        'access-control-allow-headers': String(req.headers['access-control-request-headers'] ?? 'Authorization, Content-Type, X-Experience-API-Version, If-Match, If-None-Match'),
        'access-control-max-age': '60',
      },
    };
  }

  /** Sends an answer, with CORS headers for an allowed origin and the xAPI version header. */
  function write(req: IncomingMessage, res: ServerResponse, a: Exchange): void {
    if (res.destroyed) return;
    const origin = req.headers.origin;
    const cors = origin && allowedOrigin(origin) ? { 'access-control-allow-origin': origin, vary: 'Origin', 'access-control-expose-headers': EXPOSED } : {};
    const body = a.body ?? '';
    res.writeHead(a.status, {
      'cache-control': 'no-store',
      ...options.headers,
      ...cors,
      ...(xapiPath(new URL(req.url ?? '/', options.origin).pathname) !== null ? { 'x-experience-api-version': XAPI_VERSION } : {}),
      ...(a.headers ?? {}),
      ...(a.status === 204 ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
    });
    res.end(req.method === 'HEAD' || a.status === 204 ? undefined : body);
  }

  return {
    origin: options.origin,
    endpoint: `${options.origin}/xapi/`,
    ...launches,
    documents,
    allowedOrigin,
    answer,
    write,
    /** Answers one request under `/xapi/` or `/cmi5/fetch/`. */
    async handle(req: IncomingMessage, res: ServerResponse): Promise<Exchange> {
      const a = await answer(req, new URL(req.url ?? '/', options.origin));
      write(req, res, a);
      return a;
    },
  };
}

/** Reads the rest of the request, then refuses it. */
async function refuse(req: IncomingMessage, status: number, message: string): Promise<Answer> {
  await readBody(req);
  return error(status, message);
}

function parseStatements(body: Buffer, statementId: string | null): Statement[] | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8'));
    const list = (Array.isArray(parsed) ? parsed : [parsed]) as Statement[];
    // A PUT names its statement's id in the query.
    return statementId && list[0] && typeof list[0] === 'object' && !list[0].id ? [{ ...list[0], id: statementId }, ...list.slice(1)] : list;
  } catch {
    return undefined;
  }
}
