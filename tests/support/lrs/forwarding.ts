/**
 * The statements of the LMS stand-in (src/preview/lms) kept by the real LRS: each statements
 * request goes on to Learning Locker with the LRS's credentials, and `more` links are made to
 * point back at the stand-in. Two faults of real LRSs sit on the way: holding requests (a slow
 * LRS node) and ADL-style 409s on a resend of a stored id.
 */
import type { StatementStore } from '../../../src/preview/lms/statements.ts';
import { error, json, type Answer } from '../../../src/preview/lms/answer.ts';
import { XAPI_VERSION, type Statement } from '../../../src/preview/lms/vocabulary.ts';
import type { Lrs } from './lrs.ts';

export interface Hold {
  /** Resolves with the first request held. */
  held: Promise<{ statements?: Statement[] }>;
  /** How many requests were held. */
  count(): number;
  release(): void;
}

const REQUEST_HEADERS = ['content-type', 'x-experience-api-version', 'accept', 'accept-language', 'if-match', 'if-none-match'];
const ANSWER_HEADERS = ['content-type', 'x-experience-api-version', 'x-experience-api-consistent-through', 'last-modified', 'etag'];

export function forwardStatements(lrs: Pick<Lrs, 'endpoint' | 'authorization'>) {
  const lrsEndpoint = lrs.endpoint.replace(/\/?$/, '/');
  let hold: { match: (statements: Statement[]) => boolean; arrived: (r: { statements?: Statement[] }) => void; gate: Promise<void>; count: number } | null = null;
  let adlConflicts = false;
  /** Ids of statements the LRS accepted through the stand-in. */
  const storedIds = new Set<string>();

  const store: StatementStore = {
    async record(statements) {
      const res = await fetch(lrsEndpoint + 'statements', {
        method: 'POST',
        headers: { authorization: lrs.authorization, 'x-experience-api-version': XAPI_VERSION, 'content-type': 'application/json' },
        body: JSON.stringify(statements),
      });
      if (!res.ok) throw new Error(`the LRS refused the LMS's statements: ${res.status} ${await res.text()}`);
    },

    async request(r) {
      let note: string | undefined;
      if (hold && r.method !== 'GET' && hold.match(r.statements ?? [])) {
        const h = hold;
        h.count++;
        note = 'held by the test';
        h.arrived({ statements: r.statements });
        await h.gate;
      }
      const ids = (r.statements ?? []).map((x) => x?.id).filter((id): id is string => typeof id === 'string');
      if (adlConflicts && r.method !== 'GET' && ids.some((id) => storedIds.has(id))) {
        return json(409, { error: `statement id(s) already stored: ${ids.filter((id) => storedIds.has(id)).join(', ')}` }, { note: 'injected 409 (ADL-style resend conflict)' });
      }
      const answer = await forward(r.method, r.search, r.headers, r.body);
      if (answer.status < 300 && r.method !== 'GET') for (const id of ids) storedIds.add(id);
      if (answer.status < 300 && r.method === 'POST' && /^\[/.test(String(answer.body))) for (const id of JSON.parse(String(answer.body)) as string[]) storedIds.add(id);
      return note && !answer.note ? { ...answer, note } : answer;
    },
  };

  async function forward(method: string, search: string, headers: Record<string, string | string[] | undefined>, body: Buffer | undefined): Promise<Answer> {
    const sent: Record<string, string> = { authorization: lrs.authorization };
    for (const h of REQUEST_HEADERS) if (typeof headers[h] === 'string') sent[h] = headers[h] as string;
    let res: Response;
    try {
      res = await fetch(`${lrsEndpoint}statements${search}`, { method, headers: sent, body: body ? new Uint8Array(body) : undefined });
    } catch (e) {
      return error(503, `the LRS behind the stand-in is unreachable: ${(e as Error).message}`, false);
    }
    let text = await res.text();
    const out: Record<string, string> = {};
    for (const h of ANSWER_HEADERS) {
      const v = res.headers.get(h);
      if (v) out[h] = v;
    }
    // `more` is relative to the LRS's root: make it point here.
    if (res.ok && /json/.test(out['content-type'] ?? '')) text = text.replace(/"more"\s*:\s*"\/xAPI\/statements/, '"more":"/xapi/statements');
    const answer: Answer = { status: res.status, body: text, headers: out };
    if (res.status >= 400) answer.problem = `the LRS answered ${res.status} to ${method} statements: ${text.slice(0, 300)}`;
    return answer;
  }

  return {
    store,
    conflictOnResend(on: boolean) {
      adlConflicts = on;
    },
    holdStatements(match: (statements: Statement[]) => boolean = () => true): Hold {
      let arrived!: (r: { statements?: Statement[] }) => void;
      let open!: () => void;
      const held = new Promise<{ statements?: Statement[] }>((r) => (arrived = r));
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
  };
}
