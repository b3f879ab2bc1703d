/**
 * Where the stand-in keeps statements. The preview keeps them in memory (`createMemoryStatements`);
 * the tests put a real LRS behind the same interface.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { error, json, type Answer } from './answer.ts';
import type { Statement } from './vocabulary.ts';

/** A statements request the stand-in has authorised, version-checked and read. */
export interface StatementsRequest {
  method: string;
  /** The query string, with its `?` (or empty). */
  search: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer | undefined;
  /** The statements of a POST/PUT body as sent (a PUT's gets `statementId` when it has no id). */
  statements: Statement[] | undefined;
}

export interface StatementStore {
  request(r: StatementsRequest): Promise<Answer>;
  /** Stores statements the LMS makes itself (cmi5 "launched"); throws when they are refused. */
  record(statements: Statement[]): Promise<void>;
}

/** Statements in memory, stored once per id in arrival order; GET answers them newest first. */
export function createMemoryStatements() {
  const list: Statement[] = [];
  const listeners: ((s: Statement) => void)[] = [];

  const store = (statements: Statement[]): string[] =>
    statements.map((statement) => {
      const id = statement.id ?? randomUUID();
      // A statement sent again (a retry) is stored once.
      if (list.some((s) => s.id === id)) return id;
      const stored = { ...statement, id, stored: new Date().toISOString() };
      list.push(stored);
      listeners.forEach((l) => l(stored));
      return id;
    });

  const memory: StatementStore & { list: Statement[]; clear(): void; onStored(l: (s: Statement) => void): void } = {
    list,
    clear: () => { list.length = 0; },
    onStored: (l) => listeners.push(l),
    async record(statements) {
      store(statements);
    },
    async request({ method, query, statements }) {
      if (method === 'GET' || method === 'HEAD') {
        const id = query.get('statementId');
        if (id === null) return json(200, { statements: [...list].reverse(), more: '' });
        const found = list.find((s) => s.id === id);
        return found ? json(200, found) : error(404, `no statement ${id}`, false);
      }
      if (method !== 'POST' && method !== 'PUT') return error(405, `${method} is not allowed on statements`);
      if (!statements || statements.some((s) => !s || typeof s !== 'object' || !s.actor || !s.verb || !s.object)) {
        return error(400, 'the body is not a statement or a list of statements');
      }
      if (method === 'PUT' && !query.get('statementId')) return error(400, 'statementId parameter missing');
      const ids = store(statements);
      return method === 'PUT' ? { status: 204 } : json(200, ids);
    },
  };
  return memory;
}
