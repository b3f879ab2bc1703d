/**
 * The learner state in the LRS's State resource (`coursepack-state`, JSON, PUT whole; State
 * writes need no If-Match in 1.0.3):
 *   { "v": 1, "location": "<page id>", "state": "<encoded learner state>",
 *     "verdicts": ["completed", "passed" | "failed"], "saved": <ms> }
 * Written a moment after a change, at once for a verdict, and with keepalive when the page goes.
 */
import { decodeState } from '../state.ts';
import { retry, type Attempt } from '../retry.ts';
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

/** Where the document stands on this device. */
interface Standing {
  doc: StateDoc;
  /** Changed since the last write. */
  dirty: boolean;
  /** The LRS copy has been read: writes may go. */
  known: boolean;
  /** The `updated` of the device copy we began from when the LRS could not be read. */
  startedFrom: number;
  /** The LRS holds a newer document than ours: we never write over it. */
  conflict: boolean;
}

const body = (s: Standing, verdicts: VerdictLog): string =>
  JSON.stringify({ v: 1, location: s.doc.location, state: s.doc.state, verdicts: [...verdicts.sent], saved: Date.now() });

/**
 * The LRS could not be read at start, so we began from this device's copy: before the first
 * write, read again, and never overwrite a document newer than the one we started from.
 */
async function readBeforeFirstWrite(s: Standing, o: StateDocumentOptions): Promise<boolean> {
  if (s.known) return true;
  const r = await readDocument(o.lrs, 'activities/state', o.query, { attempts: 1 });
  if (!r.ok) return false;
  const remote = readDoc(r.doc);
  if (remote && decodeState(remote.state).updated > s.startedFrom) {
    s.conflict = true;
    o.health('state', false, 'state-conflict');
    return false;
  }
  if (remote) o.verdicts.learn(remote.verdicts);
  s.known = true;
  return true;
}

/** One PUT of the document; true when stored, false when writing must stop (a conflict). */
async function putOnce(s: Standing, o: StateDocumentOptions): Promise<Attempt<boolean>> {
  let res: Response | null = null;
  if (await readBeforeFirstWrite(s, o)) {
    s.dirty = false;
    try {
      res = await o.lrs.request('PUT', 'activities/state', o.query, body(s, o.verdicts));
    } catch {
      /* no answer */
    }
    if (res?.ok) {
      o.health('state', true);
      return { ok: true, value: true };
    }
    s.dirty = true;
  } else if (s.conflict) return { ok: true, value: false };
  return failedRequest(res, false);
}

export function createStateDocument(options: StateDocumentOptions) {
  const { lrs, query, verdicts, health } = options;
  const s: Standing = { doc: { location: '', state: '', verdicts: [] }, dirty: false, known: false, startedFrom: 0, conflict: false };
  let writing: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const failures = { count: 0 };

  function write(): Promise<void> {
    clearTimeout(timer);
    if (!writing && s.dirty && !options.readOnly && !s.conflict) {
      writing = (async () => {
        while (s.dirty && !s.conflict) {
          const stored = await retry(() => putOnce(s, options), {
            base: options.baseDelayMs ?? 1000,
            cap: 60_000,
            wait: options.wait,
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
    timer = setTimeout(() => void write(), options.saveDelayMs ?? 2000);
  };

  return {
    /** Reads the document; unreachable, it resumes from this device's copy and writes wait. */
    async open(wait: (ms: number) => Promise<void>): Promise<{ location: string; state: string; returning: boolean }> {
      const read = await readDocument(lrs, 'activities/state', query, { attempts: 2, wait });
      const remote = read.ok ? readDoc(read.doc) : null;
      s.known = read.ok;
      if (remote) {
        s.doc = remote;
        verdicts.learn(remote.verdicts);
      }
      if (!read.ok) {
        s.doc = { location: '', state: options.deviceState?.() || '', verdicts: [] };
        s.startedFrom = decodeState(s.doc.state).updated;
        health('state', false, read.status ? `state-${read.status}` : 'state-network');
      }
      return { location: s.doc.location, state: s.doc.state, returning: !!remote?.state };
    },
    /** A new bookmark and state: written after the save delay. */
    update(location: string, state: string): void {
      if (location === s.doc.location && state === s.doc.state) return;
      s.doc = { ...s.doc, location, state };
      s.dirty = true;
      scheduleWrite();
    },
    /** A verdict was sent: written at once (a lost verdict record would repeat the verdict). */
    verdictAdded(now: boolean): void {
      s.dirty = true;
      if (now) void write();
    },
    write,
    get dirty(): boolean {
      return s.dirty;
    },
    stop: (): void => clearTimeout(timer),
    /**
     * The page is going away: one keepalive PUT if it fits next to the `used` bytes of statements.
     * What does not arrive is written again by a later save or kept by the player on this device.
     */
    sendOnExit(used: number): void {
      clearTimeout(timer);
      if (!s.dirty || options.readOnly || !s.known || s.conflict) return;
      const text = body(s, verdicts);
      s.dirty = false;
      const again = (): void => {
        s.dirty = true;
        if (!options.ended()) scheduleWrite();
      };
      lrs
        .request('PUT', 'activities/state', query, text, byteLength(text) <= KEEPALIVE_BUDGET - used)
        .then((res) => (res.ok ? health('state', true) : again()), again);
    },
  };
}
