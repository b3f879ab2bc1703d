/**
 * The statements waiting to be sent, kept in storage (localStorage) from the moment they are
 * added until the LRS has them, so a reload, a crash or a closed tab loses none.
 */
import type { KeyValueStore } from './queue.ts';
import type { Statement } from './statements.ts';

/** The prefix of the storage key of a session's list (tracker.ts adds endpoint, registration, actor). */
export const QUEUE_KEY_PREFIX = 'cp-xq:';

function read(storage: KeyValueStore | null, key: string): Statement[] {
  try {
    const v = JSON.parse(storage?.getItem(key) || '[]');
    return Array.isArray(v) ? v.filter((s) => s && typeof s.id === 'string') : [];
  } catch {
    return [];
  }
}

export function createStoredList(storage: KeyValueStore | null, key: string) {
  let items = read(storage, key);
  let waiters: (() => void)[] = [];

  function persist(): void {
    try {
      if (items.length) storage?.setItem(key, JSON.stringify(items));
      else storage?.removeItem(key);
    } catch {
      /* full or refused: the list still lives in memory */
    }
  }

  return {
    /** The statements, oldest first. */
    get items(): readonly Statement[] {
      return items;
    },
    add(statements: Statement[]): void {
      items.push(...statements);
      persist();
    },
    remove(sent: Statement[]): void {
      const ids = new Set(sent.map((s) => s.id));
      items = items.filter((s) => !ids.has(s.id));
      persist();
      if (!items.length) {
        waiters.forEach((w) => w());
        waiters = [];
      }
    },
    /** Resolves true when empty, false after `ms`. */
    drained(ms: number): Promise<boolean> {
      if (!items.length) return Promise.resolve(true);
      return new Promise((resolve) => {
        const t = setTimeout(() => resolve(false), ms);
        waiters.push(() => {
          clearTimeout(t);
          resolve(true);
        });
      });
    },
  };
}
