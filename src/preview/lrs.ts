/**
 * The preview's stand-in for an LRS and a cmi5 LMS, served under `/xapi/` on the preview's own
 * origin and kept in memory: statements (stored once per id, in order), the State and Agent
 * Profile resources, `about`, and cmi5's one-time fetch URL. It launches the course as a Tin Can
 * or cmi5 LMS would. It is a local stand-in, not a conformant LRS: the preview says so.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Course } from '../model.ts';
import { auId, moveOn } from '../targets/cmi5.ts';
import { PREVIEW_HEADERS } from './headers.ts';

export interface StoredStatement {
  id: string;
  stored: string;
  verb: { id: string };
  object?: { id?: string };
  [key: string]: unknown;
}

const VERSION = '1.0.3';
const SESSION_ID = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';
const AUTH = `Basic ${Buffer.from('preview:preview').toString('base64')}`;
const ACTOR = { objectType: 'Agent', name: 'Learner, Preview', account: { homePage: 'http://127.0.0.1/', name: 'preview-learner' } };

export interface PreviewLrs {
  /** Answers a request under `/xapi/`; the path is the part after it. */
  handle(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void>;
  /** A launch URL for the course's package under `/sco/`: a new session of the same registration. */
  launch(course: Course, target: 'xapi' | 'cmi5', origin: string): string;
  /** A new learner: a fresh registration, no statements, no state. */
  reset(): void;
  statements: StoredStatement[];
  documents(): Record<string, unknown>;
  /** While true every request answers 503, as an LRS that is down. */
  failing: boolean;
  onStatement(listener: (s: StoredStatement) => void): void;
}

export function createPreviewLrs(): PreviewLrs {
  let registration = randomUUID();
  const statements: StoredStatement[] = [];
  const documents = new Map<string, string>();
  const tokens = new Map<string, string | null>(); // fetch id → token, null once handed out
  const listeners: ((s: StoredStatement) => void)[] = [];
  const docKey = (kind: string, q: URLSearchParams) =>
    [kind, q.get('activityId') ?? '', q.get('agent') ?? '', q.get('registration') ?? '', q.get('stateId') ?? q.get('profileId') ?? ''].join('\n');

  const lrs: PreviewLrs = {
    statements,
    failing: false,
    documents: () => Object.fromEntries([...documents].map(([k, v]) => [k.split('\n').filter(Boolean).join(' | '), safeJson(v)])),
    onStatement: (l) => listeners.push(l),
    reset() {
      registration = randomUUID();
      statements.length = 0;
      documents.clear();
      tokens.clear();
    },

    launch(course, target, origin) {
      const endpoint = `${origin}/xapi/`;
      if (target === 'xapi') {
        return `/sco/index.html?${new URLSearchParams({
          endpoint, auth: AUTH, actor: JSON.stringify(ACTOR), registration, activity_id: course.id,
        })}`;
      }
      // cmi5 §10: the LMS writes LMS.LaunchData before every launch, with a new session id.
      const au = auId(course);
      const launchData = {
        contextTemplate: {
          contextActivities: { grouping: [{ id: course.id, objectType: 'Activity' }] },
          extensions: { [SESSION_ID]: randomUUID() },
        },
        launchMode: 'Normal',
        moveOn: moveOn(course),
        ...(course.scoring ? { masteryScore: course.scoring.mastery } : {}),
      };
      const query = new URLSearchParams({ activityId: au, agent: JSON.stringify(ACTOR), registration, stateId: 'LMS.LaunchData' });
      documents.set(docKey('state', query), JSON.stringify(launchData));
      const fetchId = randomUUID();
      tokens.set(fetchId, `Basic ${Buffer.from(`preview:${fetchId}`).toString('base64')}`);
      return `/sco/index.html?${new URLSearchParams({
        endpoint, fetch: `${origin}/xapi/fetch/${fetchId}`, actor: JSON.stringify(ACTOR), registration, activityId: au,
      })}`;
    },

    async handle(req, res, path, query) {
      const body = await readBody(req);
      const reply = (status: number, data?: unknown, type = 'application/json') => {
        res.writeHead(status, { ...PREVIEW_HEADERS, 'Content-Type': type, 'X-Experience-API-Version': VERSION, 'Cache-Control': 'no-store' });
        res.end(data === undefined ? '' : typeof data === 'string' ? data : JSON.stringify(data));
      };
      if (lrs.failing) return reply(503, { error: 'The preview is simulating an LRS failure' });
      if (path.startsWith('fetch/') && req.method === 'POST') {
        const token = tokens.get(path.slice('fetch/'.length));
        // cmi5 §8.2: one token per launch; a second request is an error.
        if (!token) return reply(token === null ? 403 : 404, { 'error-code': '1', 'error-text': 'The fetch URL was already used' });
        tokens.set(path.slice('fetch/'.length), null);
        return reply(200, { 'auth-token': token.replace(/^Basic /, '') });
      }
      if (path === 'about') return reply(200, { version: [VERSION] });
      // xAPI Communication §1.3: every request names the version. A plain cross-site form cannot
      // send this header, nor a JSON content type, without a CORS preflight, which is refused.
      const version = req.headers['x-experience-api-version'];
      if (typeof version !== 'string' || !/^1\.0(\.\d+)?$/.test(version.trim())) {
        return reply(400, { error: `X-Experience-API-Version ${version === undefined ? 'missing' : JSON.stringify(version)}` });
      }
      const type = req.headers['content-type'] ?? '';
      if (path === 'statements' && (req.method === 'POST' || req.method === 'PUT') && !/^application\/json\b/i.test(type)) {
        return reply(415, { error: `statements must be sent as application/json, not ${JSON.stringify(type)}` });
      }
      if (path === 'statements') return statementsResource(req.method ?? 'GET', body, query, reply);
      const kind = path === 'activities/state' ? 'state' : path === 'agents/profile' ? 'profile' : '';
      if (!kind) return reply(404, { error: `No resource ${path}` });
      const key = docKey(kind, query);
      if (req.method === 'GET') return documents.has(key) ? reply(200, documents.get(key)) : reply(404);
      if (req.method === 'DELETE') {
        documents.delete(key);
        return reply(204);
      }
      // POST merges JSON objects (xAPI Communication §1.3); PUT replaces.
      const merged = req.method === 'POST' && documents.has(key)
        ? JSON.stringify({ ...(safeJson(documents.get(key)!) as object), ...(safeJson(body) as object) })
        : body;
      documents.set(key, merged);
      return reply(204);
    },
  };

  function statementsResource(method: string, body: string, query: URLSearchParams, reply: (s: number, d?: unknown) => void) {
    if (method === 'GET') return reply(200, { statements: [...statements].reverse(), more: '' });
    let list: StoredStatement[];
    try {
      const parsed = JSON.parse(body);
      list = Array.isArray(parsed) ? parsed : [parsed];
    } catch {
      return reply(400, { error: 'The body is not JSON' });
    }
    if (method === 'PUT') list = list.map((s) => ({ ...s, id: query.get('statementId') ?? s.id }));
    const ids: string[] = [];
    for (const statement of list) {
      const id = statement.id ?? randomUUID();
      ids.push(id);
      // A statement sent again (a retry) is stored once.
      if (statements.some((s) => s.id === id)) continue;
      const stored = { ...statement, id, stored: new Date().toISOString() };
      statements.push(stored);
      listeners.forEach((l) => l(stored));
    }
    return method === 'PUT' ? reply(204) : reply(200, ids);
  }

  return lrs;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
