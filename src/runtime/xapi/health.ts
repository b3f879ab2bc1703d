/**
 * One status for the player while any channel (statements, state) is in trouble: trouble on one
 * channel is reported (with every failing channel's code), and all-clear once none is left.
 */
import type { AdapterStatus } from '../adapters/types.ts';

export type Health = (channel: string, ok: boolean, code?: string) => void;

export function createHealth(onStatus: (s: AdapterStatus) => void): Health {
  const failing = new Map<string, string>();
  let reportedOk = true;
  return (channel, ok, code) => {
    if (ok) failing.delete(channel);
    else failing.set(channel, code || channel);
    const allClear = failing.size === 0;
    if (allClear !== reportedOk || (!allClear && !ok)) {
      reportedOk = allClear;
      onStatus(allClear ? { ok: true } : { ok: false, code: [...failing.values()].join(' ') });
    }
  };
}
