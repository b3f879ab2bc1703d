/**
 * The verdict statements (completed, passed, failed) already sent in a registration: kept in the
 * State document and mirrored in localStorage, so none is ever sent twice.
 */
import type { KeyValueStore } from './queue.ts';

export type Verdict = 'completed' | 'passed' | 'failed';

export const isVerdict = (v: unknown): v is Verdict => v === 'completed' || v === 'passed' || v === 'failed';

export interface VerdictLog {
  readonly sent: ReadonlySet<Verdict>;
  has(v: Verdict): boolean;
  /** A verdict this session sends: remembered here and on this device. */
  add(v: Verdict): void;
  /** Verdicts the State document says were sent (from another session or device). */
  learn(list: Verdict[]): void;
}

export function createVerdictLog(storage: KeyValueStore | null, key: string): VerdictLog {
  const sent = new Set<Verdict>();
  try {
    for (const v of JSON.parse(storage?.getItem(key) || '[]')) sent.add(v);
  } catch {
    /* none kept here */
  }
  return {
    sent,
    has: (v) => sent.has(v),
    add(v) {
      sent.add(v);
      try {
        storage?.setItem(key, JSON.stringify([...sent]));
      } catch {
        /* the state document keeps them too */
      }
    },
    learn: (list) => list.forEach((v) => sent.add(v)),
  };
}
