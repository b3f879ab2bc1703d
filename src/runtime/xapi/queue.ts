/**
 * The statement queue: no statement is ever lost, none is ever stored twice.
 *
 * - Every statement has a client-side UUID, so every retry is idempotent.
 * - The queue lives in localStorage (keyed by endpoint + registration + actor) from the moment a
 *   statement is pushed until the LRS has it; a reload, a crash or a closed tab leaves it there
 *   and the next launch sends it first.
 * - Statements go in order, one batch POST at a time (head-of-line: nothing overtakes).
 * - Network errors, 5xx, 429, 408, 401: the batch stays; retried with exponential backoff,
 *   honouring Retry-After. After 2 failed tries (or 5 s of failure) `onStatus(false)`; on the
 *   next success `onStatus(true)`.
 * - 409 on a POST: the ids are already stored (ADL's LRS answers 409 to a resent id even with the
 *   same content). For one statement that is success; for a batch we cannot tell which ids were
 *   stored, so the batch is resent one statement at a time.
 * - Other 4xx: the statement itself is refused. A batch is resent one at a time to find it; that
 *   one statement is logged, reported through `onReject`/`onStatus` and dropped: never a loop.
 * - Leaving the page: `flushOnExit` sends, in ONE `keepalive` request, every statement not yet
 *   known to be stored, in order — those a plain or an earlier keepalive request is carrying
 *   included — so the closing statements can never overtake an earlier one (two requests may
 *   arrive in either order). If an earlier request landed first, the LRS sees those ids twice:
 *   Learning Locker takes the batch; an LRS that answers 409 for it (ADL's) leaves it all in the
 *   persistent queue, sent first on the next launch, where a 409 per statement means "stored".
 *   Browsers allow 64 KiB of keepalive bodies in flight; what does not fit waits likewise.
 */
import type { Statement } from './statements.ts';
import { backoff, byteLength, KEEPALIVE_BUDGET, retryAfter, transient, type Lrs } from './lrs.ts';

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface QueueOptions {
  lrs: Lrs;
  /** localStorage key. */
  key: string;
  storage: KeyValueStore | null;
  /** Transport health: false when the LRS has been unreachable for a while or refused a statement. */
  onStatus?: (ok: boolean, code?: string) => void;
  onReject?: (statement: Statement, status: number) => void;
  baseDelayMs?: number;
  maxDelayMs?: number;
  maxBatch?: number;
  maxBatchBytes?: number;
  /** Report trouble after this many failed tries in a row… */
  failuresBeforeReport?: number;
  /** …or after failing for this long. */
  reportAfterMs?: number;
  /** Waits between tries; resolves early when `wake()` is called. Injectable for tests. */
  wait?: (ms: number, wake: Promise<void>) => Promise<void>;
}

export interface StatementQueue {
  push(...statements: Statement[]): void;
  /** Keeps statements (persisted) without starting a send: the page is being unloaded. */
  hold(...statements: Statement[]): void;
  /** Starts sending if idle; resolves when the queue is empty. */
  flush(): Promise<void>;
  /** Resolves true when empty, false after `ms`. */
  drained(ms: number): Promise<boolean>;
  /** The page is going away: one keepalive POST of what fits in `budget` bytes. Returns the bytes sent. */
  flushOnExit(budget?: number): number;
  /** Ends a backoff wait now (the browser is online again). */
  wake(): void;
  readonly size: number;
  /** The statements not yet stored, in order. */
  pending(): Statement[];
}

function read(storage: KeyValueStore | null, key: string): Statement[] {
  try {
    const v = JSON.parse(storage?.getItem(key) || '[]');
    return Array.isArray(v) ? v.filter((s) => s && typeof s.id === 'string') : [];
  } catch {
    return [];
  }
}

const defaultWait = (ms: number, wake: Promise<void>): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    void wake.then(() => {
      clearTimeout(t);
      resolve();
    });
  });

export function createStatementQueue(o: QueueOptions): StatementQueue {
  const base = o.baseDelayMs ?? 1000;
  const cap = o.maxDelayMs ?? 60_000;
  const maxBatch = o.maxBatch ?? 25;
  const maxBytes = o.maxBatchBytes ?? 256_000;
  const wait = o.wait ?? defaultWait;
  let items = read(o.storage, o.key);
  let running: Promise<void> | null = null;
  /** Ids in a request that has not answered yet: the loop's batch, the exit (keepalive) batches. */
  const loopFlight = new Set<string>();
  const exitFlight = new Set<string>();
  let exits: Promise<unknown>[] = [];
  /** Bytes of keepalive bodies not yet answered (browsers allow 64 KiB in all). */
  let keepaliveBytes = 0;
  /** Send this many statements one by one (after a batch got a 409 or 4xx). */
  let single = 0;
  let failures = 0;
  let failingSince = 0;
  let down = false;
  let waiters: (() => void)[] = [];
  let wakeUp: () => void = () => {};
  let wakeSignal = new Promise<void>((r) => (wakeUp = r));

  function persist(): void {
    try {
      if (items.length) o.storage?.setItem(o.key, JSON.stringify(items));
      else o.storage?.removeItem(o.key);
    } catch {
      /* full or refused: the queue still lives in memory */
    }
  }

  function remove(sent: Statement[]): void {
    const ids = new Set(sent.map((s) => s.id));
    items = items.filter((s) => !ids.has(s.id));
    persist();
    if (!items.length) {
      waiters.forEach((w) => w());
      waiters = [];
    }
  }

  /**
   * The next batch, from the head of the queue: up to `count` statements and `bytes` of JSON (at
   * least one statement for the loop). For the loop, an id on its way in another request ends
   * the batch, so the loop never overtakes nor repeats one; the exit flush takes them all again.
   */
  function take(count: number, bytes: number, mode: 'loop' | 'exit'): Statement[] {
    const batch: Statement[] = [];
    let size = 2;
    for (const s of items) {
      if (mode === 'loop' && (exitFlight.has(s.id) || loopFlight.has(s.id))) break;
      const n = byteLength(JSON.stringify(s)) + 1;
      if ((batch.length || mode === 'exit') && (batch.length >= count || size + n > bytes)) break;
      batch.push(s);
      size += n;
    }
    return batch;
  }

  function healthy(): void {
    failures = 0;
    failingSince = 0;
    if (down) {
      down = false;
      o.onStatus?.(true);
    }
  }

  function trouble(code: string, now = Date.now()): void {
    failures++;
    failingSince ||= now;
    if (!down && (failures >= (o.failuresBeforeReport ?? 2) || now - failingSince >= (o.reportAfterMs ?? 5000))) {
      down = true;
      o.onStatus?.(false, code);
    }
  }

  async function run(): Promise<void> {
    while (items.length) {
      const batch = take(single ? 1 : maxBatch, maxBytes, 'loop');
      if (!batch.length) {
        await Promise.allSettled(exits); // the head is in a keepalive request: wait for its answer
        continue;
      }
      let res: Response | null = null;
      batch.forEach((s) => loopFlight.add(s.id));
      try {
        res = await o.lrs.request('POST', 'statements', {}, JSON.stringify(batch));
      } catch {
        res = null;
      }
      batch.forEach((s) => loopFlight.delete(s.id));
      const status = res ? res.status : 0;
      if ((status >= 200 && status < 300) || (status === 409 && batch.length === 1)) {
        remove(batch);
        single = Math.max(single - batch.length, 0);
        healthy();
      } else if (!transient(status) && batch.length > 1) {
        single = batch.length; // 409 or 4xx on a batch: find out statement by statement
      } else if (!transient(status)) {
        const [s] = batch;
        console.warn(`coursepack: the LRS refused statement ${s.id} (HTTP ${status}); it is dropped.`, s);
        remove(batch);
        single = Math.max(single - 1, 0);
        o.onReject?.(s, status);
        down = true;
        o.onStatus?.(false, `rejected-${status}`);
      } else {
        trouble(status ? `http-${status}` : 'network');
        await wait(backoff(failures, base, cap, retryAfter(res)), wakeSignal);
        wakeSignal = new Promise<void>((r) => (wakeUp = r));
      }
    }
  }

  /** One keepalive POST (within `budget`, else nothing: it waits in the queue). Returns its bytes. */
  function exit(batch: Statement[], budget: number): number {
    if (!batch.length) return 0;
    const body = JSON.stringify(batch);
    const bytes = byteLength(body);
    if (bytes > budget) return 0;
    keepaliveBytes += bytes;
    batch.forEach((s) => exitFlight.add(s.id));
    const sent: Promise<unknown> = o.lrs
      .request('POST', 'statements', {}, body, true)
      .then((res) => {
        // A 409 for a batch leaves its fate open: the loop sends those ids again, one by one.
        if (res.ok || (res.status === 409 && batch.length === 1)) remove(batch);
      })
      .catch(() => {})
      .finally(() => {
        keepaliveBytes -= bytes;
        // Another exit batch may carry the same ids: they are in flight until the last answers.
        if (!exits.some((p) => p !== sent)) exitFlight.clear();
        exits = exits.filter((p) => p !== sent);
      });
    exits.push(sent);
    return bytes;
  }

  function flush(): Promise<void> {
    if (!running && items.length) {
      running = run().finally(() => {
        running = null;
      });
    }
    return running ?? Promise.resolve();
  }

  return {
    push(...statements) {
      items.push(...statements);
      persist();
      void flush();
    },
    hold(...statements) {
      items.push(...statements);
      persist();
    },
    flush,
    drained(ms) {
      if (!items.length) return Promise.resolve(true);
      return new Promise((resolve) => {
        const t = setTimeout(() => resolve(false), ms);
        waiters.push(() => {
          clearTimeout(t);
          resolve(true);
        });
      });
    },
    flushOnExit(budget = KEEPALIVE_BUDGET) {
      // One request with everything unconfirmed, in order, within what keepalive has left.
      const left = budget - keepaliveBytes;
      return exit(take(Infinity, left, 'exit'), left);
    },
    wake: () => wakeUp(),
    get size() {
      return items.length;
    },
    pending: () => items.slice(),
  };
}
