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
 * A map for a process that builds again and again (the preview): it keeps what the last build
 * read or wrote, so an edit leaves behind at most one build's worth. Call `nextBuild()` first.
 */
export class RecentMap<K, V> extends Map<K, V> {
  private previous = new Map<K, V>();

  override get(key: K): V | undefined {
    if (super.has(key)) return super.get(key);
    const value = this.previous.get(key);
    if (value !== undefined) super.set(key, value);
    return value;
  }

  nextBuild(): void {
    this.previous = new Map(this);
    this.clear();
  }
}

/** A memo in memory, kept as a RecentMap. */
export function memoryMemo(): Memo & { nextBuild(): void } {
  const values = new RecentMap<string, unknown>();
  return {
    get: (key) => values.get(key),
    set: (key, value) => void values.set(key, value),
    nextBuild: () => values.nextBuild(),
  };
}
