/** The SCORM API as both editions need it: discovery, a careful session, and text an LMS report can hold. */
import type { AdapterStatus } from './types.ts';

/**
 * Finds the LMS API object: this window and its parents up to the top, then the opener of the
 * topmost window and its parents (LMSs that open the course in a popup). Bounded, and a
 * cross-origin frame ends a walk instead of throwing.
 */
export function findApi(name: string, win: Window = window): any {
  let top: Window | null = null;
  const walk = (w: Window | null): any => {
    for (let hops = 0; w && hops < 10; hops++) {
      try {
        if ((w as any)[name]) return (w as any)[name];
        top = w;
        if (w.parent === w) break;
        w = w.parent;
      } catch {
        break;
      }
    }
    return null;
  };
  let api = walk(win);
  try {
    api = api || walk((top as Window | null)?.opener) || walk(win.opener);
  } catch {
    /* an opener on another origin */
  }
  return api;
}

export interface ScormCalls {
  get(element: string): unknown;
  set(element: string, value: string): unknown;
  commit(): unknown;
  finish(): unknown;
  error(): unknown;
}

/** LMSs answer "true"/"false" strings; some answer booleans. */
const ok = (r: unknown): boolean => r === true || r === 'true';

/** How long to wait before trying a refused write again. */
const RETRY_MS = 5000;

/**
 * A SCORM session that never throws into the player: a read error is "no value", a write is
 * skipped when the LMS already holds the value, a commit happens only after a write, and nothing
 * is sent after finish. A refused write is kept, in order, and sent again with the next commit or
 * after a pause, so a passing LMS fault loses nothing.
 */
export type ScormSession = ReturnType<typeof scormSession>;

export function scormSession(calls: ScormCalls) {
  const sent: Record<string, string> = {};
  const pending = new Map<string, string>();
  let dirty = false;
  let ended = false;
  let failing = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let listener: (s: AdapterStatus) => void = () => {};
  const safe = (f: () => unknown): string => {
    try {
      return String(f() ?? '');
    } catch {
      return '';
    }
  };
  const good = (f: () => unknown): boolean => {
    try {
      return ok(f());
    } catch {
      return false;
    }
  };
  // Tell the player once when the LMS starts refusing, and once when it works again.
  const tellHealth = (fine: boolean): void => {
    if (fine === failing) {
      failing = !fine;
      listener(fine ? { ok: true } : { ok: false, code: safe(calls.error) });
    }
    clearTimeout(timer);
    if (!fine && !ended) timer = setTimeout(commit, RETRY_MS);
  };
  const write = (element: string, value: string): boolean => {
    if (!good(() => calls.set(element, value))) return false;
    if (!element.startsWith('cmi.interactions.')) sent[element] = value;
    return true;
  };
  /** Sends the refused writes again, oldest first; stops at the first refusal to keep the order. */
  const resend = (): boolean => {
    for (const [element, value] of pending) {
      if (!write(element, value)) return false;
      pending.delete(element);
    }
    return true;
  };
  function commit(): void {
    if (ended || (!dirty && pending.size === 0)) return;
    const fine = resend() && good(calls.commit);
    if (fine) dirty = false;
    tellHealth(fine);
  }
  return {
    get(element: string): string {
      if (ended) return '';
      const value = safe(() => calls.get(element));
      const code = safe(calls.error);
      // Some LMSs answer 403/201 for elements they never initialised: that is "no value".
      return code === '0' || code === '' ? value : '';
    },
    /**
     * Writes `value` (skipped when the LMS holds it). `once`: a trial the caller checks itself —
     * a refusal is neither queued nor reported, and returns false.
     */
    set(element: string, value: string, once?: boolean): boolean | void {
      if (ended || (sent[element] === value && !pending.has(element))) return !ended;
      dirty = true;
      // Behind an earlier refusal, a write waits its turn so the LMS sees writes in order.
      if (pending.size === 0 && write(element, value)) return true;
      if (once) return false;
      pending.delete(element);
      pending.set(element, value);
      tellHealth(false);
    },
    commit,
    finish(): void {
      if (ended) return;
      commit();
      ended = true;
      clearTimeout(timer);
      good(calls.finish);
    },
    onStatus(l: (s: AdapterStatus) => void): void {
      listener = l;
    },
  };
}

/**
 * Free text as an LMS report can hold it: one line (the reference LMS refuses line breaks in
 * responses), no leading `{` (read as a `{lang=…}` delimiter in 2004), at most `max` characters
 * with `...` marking a cut. Only the report is shortened; the learner state keeps the whole text.
 */
export function reportText(text: string, max: number): string {
  let s = text.trim().replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' / ').replace(/^\{/, '(');
  if (s.length > max) s = s.slice(0, max - 3).replace(/[\uD800-\uDBFF]$/, '') + '...';
  return s;
}

/** Decimal text without exponent or float noise (CMIDecimal). */
export const decimal = (n: number): string => String(Math.round(n * 1e4) / 1e4);
