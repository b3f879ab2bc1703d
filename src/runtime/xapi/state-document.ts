/**
 * The learner state in the LRS's State resource (`coursepack-state`, JSON, PUT whole; State
 * writes need no If-Match in 1.0.3):
 *   { "v": 1, "location": "<page id>", "state": "<encoded learner state>",
 *     "verdicts": ["completed", "passed" | "failed"], "saved": <ms> }
 * Written a moment after a change, at once for a verdict, and with keepalive when the page goes.
 */
import { decodeState } from '../state.ts';
import { retry } from '../retry.ts';
import type { Health } from './health.ts';
import { byteLength, failedRequest, KEEPALIVE_BUDGET, readDocument, type Lrs } from './lrs.ts';
import { isVerdict, type Verdict, type VerdictLog } from './verdicts.ts';

export const STATE_ID = 'coursepack-state';

interface StateDoc {
  location: string;
  state: string;
  verdicts: Verdict[];
}

const readDoc = (x: unknown): StateDoc | null => {
  if (!x || typeof x !== 'object') return null;
  const d = x as Record<string, unknown>;
  return {
    location: typeof d.location === 'string' ? d.location : '',
    state: typeof d.state === 'string' ? d.state : '',
    verdicts: Array.isArray(d.verdicts) ? d.verdicts.filter(isVerdict) : [],
  };
};

export interface StateDocumentOptions {
  lrs: Lrs;
  /** The State resource's query: activityId, agent, stateId, registration. */
  query: Record<string, string>;
  verdicts: VerdictLog;
  health: Health;
  /** Never written (a session that has already ended). */
  readOnly: boolean;
  /** No more writes are scheduled once the session has ended. */
  ended: () => boolean;
  /** The encoded state this device kept (used only when the LRS cannot be read at start). */
  deviceState?: () => string;
  saveDelayMs?: number;
  baseDelayMs?: number;
  wait: (ms: number) => Promise<void>;
}

export function createStateDocument(o: StateDocumentOptions) {
  const { lrs, query, verdicts, health } = o;
  let doc: StateDoc = { location: '', state: '', verdicts: [] };
  let dirty = false;
  /** The LRS copy has been read: writes may go. */
  let known = false;
  /** The `updated` of the device copy we began from when the LRS could not be read. */
  let startedFrom = 0;
  let conflict = false;
  let writing: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const failures = { count: 0 };

  const body = (): string =>
    JSON.stringify({ v: 1, location: doc.location, state: doc.state, verdicts: [...verdicts.sent], saved: Date.now() });

  /**
   * The LRS could not be read at start, so we began from this device's copy: before the first
   * write, read again, and never overwrite a document newer than the one we started from.
   */
  async function readBeforeFirstWrite(): Promise<boolean> {
    if (known) return true;
    const r = await readDocument(lrs, 'activities/state', query, { attempts: 1 });
    if (!r.ok) return false;
    const remote = readDoc(r.doc);
    if (remote && decodeState(remote.state).updated > startedFrom) {
      conflict = true;
      health('state', false, 'state-conflict');
      return false;
    }
    if (remote) verdicts.learn(remote.verdicts);
    known = true;
    return true;
  }

  /** One PUT of the document; true when stored, false when writing must stop (a conflict). */
  async function putOnce() {
    let res: Response | null = null;
    if (await readBeforeFirstWrite()) {
      dirty = false;
      try {
        res = await lrs.request('PUT', 'activities/state', query, body());
      } catch {
        /* no answer */
      }
      if (res?.ok) {
        health('state', true);
        return { ok: true as const, value: true };
      }
      dirty = true;
    } else if (conflict) return { ok: true as const, value: false };
    return failedRequest(res, false);
  }

  function write(): Promise<void> {
    clearTimeout(timer);
    if (!writing && dirty && !o.readOnly && !conflict) {
      writing = (async () => {
        while (dirty && !conflict) {
          const stored = await retry(putOnce, {
            base: o.baseDelayMs ?? 1000,
            cap: 60_000,
            wait: o.wait,
            failures,
            onFailure(count, a) {
              if (count >= 2 || !a.retry) health('state', false, a.status ? `state-${a.status}` : 'state-network');
            },
          });
          if (!stored) break; // refused: tried again at the next save, never in a loop
        }
      })().finally(() => {
        writing = null;
      });
    }
    return writing ?? Promise.resolve();
  }

  const scheduleWrite = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => void write(), o.saveDelayMs ?? 2000);
  };

  return {
    /** Reads the document; unreachable, it resumes from this device's copy and writes wait. */
    async open(wait: (ms: number) => Promise<void>): Promise<{ location: string; state: string; returning: boolean }> {
      const read = await readDocument(lrs, 'activities/state', query, { attempts: 2, wait });
      let returning = false;
      if (read.ok) {
        known = true;
        const remote = readDoc(read.doc);
        if (remote) {
          doc = remote;
          verdicts.learn(remote.verdicts);
          returning = !!remote.state;
        }
      } else {
        doc = { location: '', state: o.deviceState?.() || '', verdicts: [] };
        startedFrom = decodeState(doc.state).updated;
        health('state', false, read.status ? `state-${read.status}` : 'state-network');
      }
      return { location: doc.location, state: doc.state, returning };
    },
    /** A new bookmark and state: written after the save delay. */
    update(location: string, state: string): void {
      if (location === doc.location && state === doc.state) return;
      doc = { ...doc, location, state };
      dirty = true;
      scheduleWrite();
    },
    /** A verdict was sent: written at once (a lost verdict record would repeat the verdict). */
    verdictAdded(now: boolean): void {
      dirty = true;
      if (now) void write();
    },
    write,
    get dirty(): boolean {
      return dirty;
    },
    stop: (): void => clearTimeout(timer),
    /**
     * The page is going away: one keepalive PUT if it fits next to the `used` bytes of statements.
     * What does not arrive is written again by a later save or kept by the player on this device.
     */
    sendOnExit(used: number): void {
      clearTimeout(timer);
      if (!dirty || o.readOnly || !known || conflict) return;
      const text = body();
      dirty = false;
      const again = (): void => {
        dirty = true;
        if (!o.ended()) scheduleWrite();
      };
      lrs
        .request('PUT', 'activities/state', query, text, byteLength(text) <= KEEPALIVE_BUDGET - used)
        .then((res) => (res.ok ? health('state', true) : again()), again);
    },
  };
}
