/**
 * Memoised steps of the build: a value by a hash of everything it is made from, kept between
 * builds by the build cache (cache.ts), so a one-page edit renders one page. A step is memoised
 * only where its inputs are plain data listed in full at the call; the code that makes the value
 * is part of coursepack's fingerprint, which keys the whole cache.
 */
import { createHash } from 'node:crypto';

/** Values by key; what `get` returns went through JSON. */
export interface Memo {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/** A hash of plain data: a memo key, or a part of one that many keys share (hashed once). */
export function contentHash(inputs: unknown): string {
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
}

/** `make()`'s value for these inputs, from the memo when it holds it (the value must survive JSON). */
export function memoized<T>(memo: Memo | undefined, inputs: unknown, make: () => T): T {
  if (!memo) return make();
  const key = contentHash(inputs);
  const kept = memo.get(key);
  if (kept !== undefined) return kept as T;
  const value = make();
  memo.set(key, value);
  return value;
}

/**
 * A memo in memory, for a process that builds again and again (the preview): it keeps what the
 * last build used, so an edit leaves behind at most one build's worth.
 */
export function memoryMemo(): Memo & { nextBuild(): void } {
  let previous = new Map<string, unknown>();
  let current = new Map<string, unknown>();
  return {
    get(key) {
      const value = current.get(key) ?? previous.get(key);
      if (value !== undefined) current.set(key, value);
      return value;
    },
    set: (key, value) => current.set(key, value),
    nextBuild() {
      previous = current;
      current = new Map();
    },
  };
}
