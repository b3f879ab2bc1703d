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
import { byteLength, failedRequest, KEEPALIVE_BUDGET, transient, type Lrs } from './lrs.ts';
import { retry, type Attempt } from '../retry.ts';
import { createStoredList } from './stored-list.ts';

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

const defaultWait = (ms: number, wake: Promise<void>): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    void wake.then(() => {
      clearTimeout(t);
      resolve();
    });
  });

/**
 * The next batch, from the head of `items`: up to `count` statements and `bytes` of JSON (at
 * least one statement for the loop). For the loop, an id on its way in another request ends the
 * batch, so the loop never overtakes nor repeats one; the exit flush takes them all again.
 */
function takeBatch(items: readonly Statement[], count: number, bytes: number, inFlight: ((id: string) => boolean) | null): Statement[] {
  const batch: Statement[] = [];
  let size = 2;
  for (const s of items) {
    if (inFlight && inFlight(s.id)) break;
    const n = byteLength(JSON.stringify(s)) + 1;
    if ((batch.length || !inFlight) && (batch.length >= count || size + n > bytes)) break;
    batch.push(s);
    size += n;
  }
  return batch;
}

export function createStatementQueue(options: QueueOptions): StatementQueue {
  const { lrs } = options;
  const maxBatch = options.maxBatch ?? 25;
  const maxBytes = options.maxBatchBytes ?? 256_000;
  const wait = options.wait ?? defaultWait;
  const list = createStoredList(options.storage, options.key);
  const health = transportHealth(options);
  let running: Promise<void> | null = null;
  /** Ids in a request that has not answered yet: the loop's batch, the exit (keepalive) batches. */
  const loopFlight = new Set<string>();
  const exits = createExitSender(lrs, list);
  /** Statements to send one by one (a batch got a 409 or a 4xx: which one is it?). */
  let oneByOne = 0;
  let wakeUp: () => void = () => {};
  let wakeSignal = new Promise<void>((r) => (wakeUp = r));

  /** One POST of the head of the queue; a failure worth another try comes back for `retry`. */
  async function sendHead(): Promise<Attempt<void>> {
    const batch = takeBatch(list.items, oneByOne ? 1 : maxBatch, maxBytes, (id) => exits.carries(id) || loopFlight.has(id));
    if (!batch.length) {
      await exits.answered(); // the head is in a keepalive request: wait for its answer
      return { ok: true, value: undefined };
    }
    let res: Response | null = null;
    batch.forEach((s) => loopFlight.add(s.id));
    try {
      res = await lrs.request('POST', 'statements', {}, JSON.stringify(batch));
    } catch {
      res = null;
    }
    batch.forEach((s) => loopFlight.delete(s.id));
    const status = res ? res.status : 0;
    if ((status >= 200 && status < 300) || (status === 409 && batch.length === 1)) {
      list.remove(batch);
      oneByOne = Math.max(oneByOne - batch.length, 0);
      health.fine();
    } else if (!transient(status) && batch.length > 1) {
      oneByOne = batch.length; // 409 or 4xx on a batch: find out statement by statement
    } else if (!transient(status)) {
      const [s] = batch;
      console.warn(`coursepack: the LRS refused statement ${s.id} (HTTP ${status}); it is dropped.`, s);
      list.remove(batch);
      oneByOne = Math.max(oneByOne - 1, 0);
      options.onReject?.(s, status);
      health.rejected(status);
    } else return failedRequest(res, undefined);
    return { ok: true, value: undefined };
  }

  async function run(): Promise<void> {
    while (list.items.length) {
      await retry(sendHead, {
        base: options.baseDelayMs ?? 1000,
        cap: options.maxDelayMs ?? 60_000,
        failures: health.failures,
        onFailure: (_n, a) => health.trouble(a.status ? `http-${a.status}` : 'network'),
        wait: async (ms) => {
          await wait(ms, wakeSignal);
          wakeSignal = new Promise<void>((r) => (wakeUp = r));
        },
      });
    }
  }

  function flush(): Promise<void> {
    if (!running && list.items.length) {
      running = run().finally(() => {
        running = null;
      });
    }
    return running ?? Promise.resolve();
  }

  return {
    push(...statements) {
      list.add(statements);
      void flush();
    },
    hold: (...statements) => list.add(statements),
    flush,
    drained: list.drained,
    flushOnExit(budget = KEEPALIVE_BUDGET) {
      // One request with everything unconfirmed, in order, within what keepalive has left.
      const left = budget - exits.bytesInFlight();
      return exits.send(takeBatch(list.items, Infinity, left, null), left);
    },
    wake: () => wakeUp(),
    get size() {
      return list.items.length;
    },
    pending: () => list.items.slice(),
  };
}

/** The keepalive requests of a page that is going away, and the ids they carry until they answer. */
function createExitSender(lrs: Lrs, list: ReturnType<typeof createStoredList>) {
  const carried = new Set<string>();
  let exits: Promise<unknown>[] = [];
  /** Bytes of keepalive bodies not yet answered (browsers allow 64 KiB in all). */
  let bytesInFlight = 0;
  return {
    carries: (id: string): boolean => carried.has(id),
    answered: (): Promise<unknown> => Promise.allSettled(exits),
    bytesInFlight: (): number => bytesInFlight,
    /** One keepalive POST (within `budget`, else nothing: it waits in the queue). Returns its bytes. */
    send(batch: Statement[], budget: number): number {
      if (!batch.length) return 0;
      const body = JSON.stringify(batch);
      const bytes = byteLength(body);
      if (bytes > budget) return 0;
      bytesInFlight += bytes;
      batch.forEach((s) => carried.add(s.id));
      const sent: Promise<unknown> = lrs
        .request('POST', 'statements', {}, body, true)
        .then((res) => {
          // A 409 for a batch leaves its fate open: the loop sends those ids again, one by one.
          if (res.ok || (res.status === 409 && batch.length === 1)) list.remove(batch);
        })
        .catch(() => {})
        .finally(() => {
          bytesInFlight -= bytes;
          // Another exit batch may carry the same ids: they are in flight until the last answers.
          if (!exits.some((p) => p !== sent)) carried.clear();
          exits = exits.filter((p) => p !== sent);
        });
      exits.push(sent);
      return bytes;
    },
  };
}

/**
 * The transport's health for `onStatus`: trouble is reported after a few failed tries in a row
 * (or some seconds of failure), a refused statement at once, and the next success clears it.
 */
function transportHealth(options: QueueOptions) {
  const failures = { count: 0 };
  let failingSince = 0;
  let down = false;
  return {
    failures,
    fine(): void {
      failures.count = 0;
      failingSince = 0;
      if (down) {
        down = false;
        options.onStatus?.(true);
      }
    },
    trouble(code: string, now = Date.now()): void {
      failingSince ||= now;
      const tooMany = failures.count >= (options.failuresBeforeReport ?? 2) || now - failingSince >= (options.reportAfterMs ?? 5000);
      if (!down && tooMany) {
        down = true;
        options.onStatus?.(false, code);
      }
    },
    rejected(status: number): void {
      down = true;
      options.onStatus?.(false, `rejected-${status}`);
    },
  };
}
