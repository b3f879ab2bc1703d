/** The persistent statement queue against a scripted fetch (the network boundary only). */
import { describe, expect, it } from 'vitest';
import { createLrs } from '../../src/runtime/xapi/lrs.ts';
import { createStatementQueue, type QueueOptions } from '../../src/runtime/xapi/queue.ts';
import { activity, buildStatement, type Statement } from '../../src/runtime/xapi/statements.ts';
import { memoryStore } from './fixtures.ts';

const actor = { objectType: 'Agent' as const, mbox: 'mailto:jo@example.com' };
const make = (n: number, text = ''): Statement[] =>
  Array.from({ length: n }, (_, i) =>
    buildStatement(actor, undefined, {
      verb: 'experienced',
      object: activity(`https://courses.example.com/c/pages/p${i}`),
      context: {},
      result: text ? { response: text } : undefined,
      at: Date.UTC(2024, 0, 1) + i,
    }),
  );

interface Call {
  url: string;
  init: RequestInit;
  ids: string[];
}

/**
 * An LRS that stores statements like ADL's: a POST holding an id it already has is refused whole
 * with 409; `script` may answer a call first (a status, 'network', or undefined to go on).
 */
function lrs(script: (call: Call, n: number) => number | 'network' | Response | undefined = () => undefined) {
  const stored: string[] = [];
  const calls: Call[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetch = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const body = JSON.parse(String(init.body));
    const call = { url, init, ids: body.map((s: Statement) => s.id) };
    calls.push(call);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await Promise.resolve();
    inFlight--;
    const answer = script(call, calls.length);
    if (answer === 'network') throw new TypeError('Failed to fetch');
    if (answer instanceof Response) return answer;
    if (answer) return new Response('', { status: answer });
    if (call.ids.some((id: string) => stored.includes(id))) return new Response('conflict', { status: 409 });
    stored.push(...call.ids);
    return Response.json(call.ids);
  };
  return { fetch, stored, calls, maxInFlight: () => maxInFlight };
}

function queueOn(server: ReturnType<typeof lrs>, more: Partial<QueueOptions> = {}) {
  const waits: number[] = [];
  const status: { ok: boolean; code?: string }[] = [];
  const rejected: [string, number][] = [];
  const q = createStatementQueue({
    lrs: createLrs({ endpoint: 'https://lrs.example.com/xapi', auth: 'Basic abc', fetch: server.fetch }),
    key: 'cp-xq:test',
    storage: memoryStore(),
    wait: async (ms) => void waits.push(ms),
    onStatus: (ok, code) => status.push({ ok, code }),
    onReject: (s, st) => rejected.push([s.id, st]),
    ...more,
  });
  return { q, waits, status, rejected };
}

describe('statement queue', () => {
  it('sends in order, one batch POST at a time, with the xAPI headers and compact JSON', async () => {
    const server = lrs();
    const { q } = queueOn(server, { maxBatch: 2 });
    const list = make(5);
    q.push(...list);
    await q.flush();
    expect(server.stored).toEqual(list.map((s) => s.id));
    expect(server.calls.map((c) => c.ids.length)).toEqual([2, 2, 1]);
    expect(server.maxInFlight()).toBe(1);
    const { url, init } = server.calls[0];
    expect(url).toBe('https://lrs.example.com/xapi/statements');
    expect(init.method).toBe('POST');
    expect(init.headers).toMatchObject({ 'X-Experience-API-Version': '1.0.3', Authorization: 'Basic abc', 'Content-Type': 'application/json' });
    expect(init.body).toBe(JSON.stringify(JSON.parse(String(init.body))));
    expect(q.size).toBe(0);
  });

  it('survives a reload: a fresh queue over the same storage sends what the first could not, in order', async () => {
    const storage = memoryStore();
    const down = lrs(() => 'network');
    const first = queueOn(down, { storage, maxBatch: 2, wait: () => new Promise(() => {}) }); // a long backoff
    const list = make(3);
    first.q.push(list[0]);
    first.q.push(list[1], list[2]);
    await new Promise((r) => setTimeout(r, 5));
    expect(JSON.parse(storage.data.get('cp-xq:test')!).map((s: Statement) => s.id)).toEqual(list.map((s) => s.id));

    const up = lrs();
    const second = queueOn(up, { storage, maxBatch: 2 });
    expect(second.q.pending().map((s) => s.id)).toEqual(list.map((s) => s.id));
    const newer = make(1)[0];
    second.q.push(newer);
    await second.q.flush();
    expect(up.stored).toEqual([...list, newer].map((s) => s.id));
    expect(storage.data.has('cp-xq:test')).toBe(false);
  });

  it('retries 503, 429 and network errors with backoff and Retry-After, resending the same ids', async () => {
    const answers: (number | 'network' | Response)[] = [
      'network',
      503,
      new Response('', { status: 429, headers: { 'Retry-After': '7' } }),
      500,
    ];
    const server = lrs((_c, n) => answers[n - 1]);
    const { q, waits } = queueOn(server);
    const list = make(2);
    q.push(...list);
    await q.flush();
    expect(server.calls).toHaveLength(5);
    expect(new Set(server.calls.map((c) => c.ids.join()))).toEqual(new Set([list.map((s) => s.id).join()]));
    expect(waits).toEqual([1000, 2000, 7000, 8000]);
    expect(server.stored).toEqual(list.map((s) => s.id));
  });

  it('reports the LRS unreachable after two failed tries, and back once it answers', async () => {
    const server = lrs((_c, n) => (n <= 3 ? 503 : undefined));
    const { q, status } = queueOn(server);
    q.push(...make(1));
    await q.flush();
    expect(status).toEqual([{ ok: false, code: 'http-503' }, { ok: true, code: undefined }]);
  });

  it('takes a 409 for one statement as "already stored", and splits a batch that got one', async () => {
    const server = lrs();
    const list = make(4);
    server.stored.push(list[1].id); // stored earlier; the answer was lost
    const { q, rejected, status } = queueOn(server);
    q.push(...list);
    await q.flush();
    expect(server.calls.map((c) => c.ids.length)).toEqual([4, 1, 1, 1, 1]);
    expect(server.stored.slice().sort()).toEqual(list.map((s) => s.id).sort());
    expect(rejected).toEqual([]);
    expect(status).toEqual([]);
    expect(q.size).toBe(0);
  });

  it('drops only the statement the LRS refuses (400), after reporting it, and goes on', async () => {
    const list = make(3);
    const bad = list[1].id;
    const server = lrs((c) => (c.ids.includes(bad) ? 400 : undefined));
    const { q, rejected, status } = queueOn(server);
    q.push(...list);
    await q.flush();
    expect(rejected).toEqual([[bad, 400]]);
    expect(status).toEqual([{ ok: false, code: 'rejected-400' }, { ok: true, code: undefined }]);
    expect(server.stored).toEqual([list[0].id, list[2].id]);
    expect(server.calls.length).toBeLessThanOrEqual(4); // batch, then one by one: never a loop
    expect(q.size).toBe(0);
  });

  it('flushes on pagehide with one keepalive request under 64 KB', async () => {
    const server = lrs(() => 'network');
    const { q } = queueOn(server, { wait: () => new Promise(() => {}) });
    q.push(...make(40, 'x'.repeat(3000))); // ~130 KB in all
    await new Promise((r) => setTimeout(r, 5));
    const before = server.calls.length;
    const sent = q.flushOnExit();
    expect(sent).toBeGreaterThan(50_000);
    expect(sent).toBeLessThanOrEqual(60_000);
    const exit = server.calls[before];
    expect(exit.init.keepalive).toBe(true);
    expect(new TextEncoder().encode(String(exit.init.body)).length).toBe(sent);
    expect(exit.ids[0]).toBe(q.pending()[0].id); // the oldest first
  });
});
