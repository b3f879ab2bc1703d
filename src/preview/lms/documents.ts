/**
 * The State and Agent Profile resources (xAPI 1.0.3 Communication §2.3, §2.6, §3.1), in memory:
 * documents keyed by activity, agent, registration and id; POST merges top-level properties of
 * JSON objects and refuses anything else (400); ETags are SHA-1 and If-Match/If-None-Match are
 * honoured; a PUT over an existing Agent Profile without either is a conflict (409).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { error, isJsonType, json, readBody, type Answer } from './answer.ts';
import { UUID, agentKey, type Agent } from './vocabulary.ts';

export interface StoredDocument {
  contentType: string;
  body: Buffer;
  updated: Date;
  etag: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface DocumentQuery {
  activityId: string;
  agent: Agent;
  stateId: string;
  registration?: string;
}

export type Resource = 'state' | 'agent-profile';

interface Doc extends StoredDocument {
  /** Resource and context (activity, agent, registration), as a key. */
  scope: string;
  id: string;
}

const sha1 = (data: Buffer | string): string => createHash('sha1').update(data).digest('hex');
const objectLike = (v: unknown): v is object => !!v && typeof v === 'object' && !Array.isArray(v);
const parseJson = (body: Buffer): unknown => {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
};

const scopeKey = (resource: Resource, parts: (string | undefined)[]) => JSON.stringify([resource, ...parts.map((p) => p ?? '')]);
const docKey = (scope: string, id: string) => JSON.stringify([scope, id]);
const stateScope = (q: Omit<DocumentQuery, 'stateId'>) => scopeKey('state', [q.activityId, agentKey(q.agent), q.registration?.toLowerCase()]);
const profileScope = (agent: Agent) => scopeKey('agent-profile', [agentKey(agent)]);

const makeDoc = (scope: string, id: string, contentType: string, body: Buffer): Doc =>
  ({ scope, id, contentType, body, updated: new Date(), etag: sha1(body), json: isJsonType(contentType) ? parseJson(body) : undefined });

export type Documents = ReturnType<typeof createDocuments>;

export function createDocuments() {
  const docs = new Map<string, Doc>();

  /** Stores a value as a PUT would: JSON for objects, text/plain for a string. */
  const putValue = (scope: string, id: string, doc: unknown): void => {
    const d = typeof doc === 'string'
      ? makeDoc(scope, id, 'text/plain', Buffer.from(doc))
      : makeDoc(scope, id, 'application/json', Buffer.from(JSON.stringify(doc)));
    docs.set(docKey(scope, id), d);
  };

  /** A request to `activities/state` or `agents/profile`, authorised and version-checked. */
  async function handle(req: IncomingMessage, resource: Resource, query: Record<string, string>): Promise<Answer> {
    const agent = parseAgent(query.agent);
    if (!('ok' in agent)) return agent;
    const scope = resource === 'state' ? checkStateScope(query, agent.ok) : profileScope(agent.ok);
    if (typeof scope !== 'string') return scope;
    const idName = resource === 'state' ? 'stateId' : 'profileId';
    const docId = query[idName];
    const inScope = () => [...docs.values()].filter((d) => d.scope === scope);
    if (req.method === 'GET' || req.method === 'HEAD') return docId === undefined ? listIds(inScope(), query.since) : read(docKey(scope, docId), `${idName} ${docId}`);
    if (req.method === 'PUT' || req.method === 'POST') {
      if (docId === undefined) return error(400, `${idName} parameter missing`);
      const body = await readBody(req);
      return write(req, resource, scope, docId, `${idName} ${docId}`, body);
    }
    if (req.method === 'DELETE') {
      if (docId !== undefined) {
        const failed = preconditions(req, docs.get(docKey(scope, docId)), false);
        if (failed) return failed;
        docs.delete(docKey(scope, docId));
      } else if (resource === 'state') {
        for (const d of inScope()) docs.delete(docKey(d.scope, d.id));
      } else return error(400, 'profileId parameter missing');
      return { status: 204 };
    }
    return error(405, `${req.method} is not allowed on ${resource}`);
  }

  function checkStateScope(query: Record<string, string>, agent: Agent): string | Answer {
    if (!query.activityId) return error(400, 'activityId parameter missing');
    if (query.registration !== undefined && !UUID.test(query.registration)) return error(400, `registration is not a UUID: ${query.registration}`);
    return stateScope({ activityId: query.activityId, agent, registration: query.registration });
  }

  function listIds(list: Doc[], sinceText: string | undefined): Answer {
    const since = sinceText ? Date.parse(sinceText) : null;
    const ids = list.filter((d) => since === null || d.updated.getTime() > since).map((d) => d.id);
    const last = Math.max(0, ...list.map((d) => d.updated.getTime()));
    return json(200, ids, last ? { headers: { 'last-modified': new Date(last).toUTCString() } } : {});
  }

  function read(key: string, name: string): Answer {
    const doc = docs.get(key);
    if (!doc) return { status: 404, body: '', note: `no ${name}` };
    return { status: 200, body: doc.body, headers: { 'content-type': doc.contentType, etag: `"${doc.etag}"`, 'last-modified': doc.updated.toUTCString() } };
  }

  function write(req: IncomingMessage, resource: Resource, scope: string, docId: string, name: string, body: Buffer): Answer {
    const key = docKey(scope, docId);
    const existing = docs.get(key);
    const failed = preconditions(req, existing, resource !== 'state');
    if (failed) return failed;
    const contentType = req.headers['content-type'] ?? 'application/octet-stream';
    if (req.method === 'POST') {
      // §2.2 JSON procedure: merge top-level properties; both sides must be JSON objects.
      const posted = parseJson(body);
      if (existing && (!isJsonType(contentType) || !isJsonType(existing.contentType) || !objectLike(posted) || !objectLike(existing.json))) {
        return error(400, `POST ${name}: both documents must be JSON objects to merge`);
      }
      if (isJsonType(contentType) && !objectLike(posted)) return error(400, `POST ${name}: not a JSON object`);
      if (existing) {
        docs.set(key, makeDoc(scope, docId, 'application/json', Buffer.from(JSON.stringify({ ...(existing.json as object), ...(posted as object) }))));
        return { status: 204 };
      }
    }
    docs.set(key, makeDoc(scope, docId, contentType, body));
    return { status: 204 };
  }

  return {
    handle,
    state: (q: DocumentQuery): StoredDocument | null => docs.get(docKey(stateScope(q), q.stateId)) ?? null,
    putState: (q: DocumentQuery, doc: unknown) => putValue(stateScope(q), q.stateId, doc),
    agentProfile: (agent: Agent, profileId: string): StoredDocument | null => docs.get(docKey(profileScope(agent), profileId)) ?? null,
    setAgentProfile: (agent: Agent, profileId: string, doc: unknown) => putValue(profileScope(agent), profileId, doc),
    /** Every document, named by its resource, context and id: JSON parsed, anything else as text. */
    list: () => [...docs.values()].map((d) => ({ name: [...JSON.parse(d.scope) as string[], d.id].filter(Boolean).join(' | '), value: d.json ?? d.body.toString('utf8') })),
    clear: () => docs.clear(),
  };
}

function parseAgent(raw: string | undefined): { ok: Agent } | Answer {
  if (raw === undefined) return error(400, 'agent parameter missing');
  try {
    const agent = JSON.parse(raw) as Agent;
    agentKey(agent);
    return { ok: agent };
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
