/**
 * Free text as the learner types: saved half a second after the last keystroke, and at once when
 * anything else needs a consistent state (a page change, an export, leaving).
 */
export interface Drafts {
  /** Keeps `text` as the response `id`; `onSaved` runs once it is in the state. */
  write(id: string, text: string, onSaved?: () => void): void;
  /** Puts every pending text in the state now; true when there was any. */
  flush(): boolean;
}

export function createDrafts(put: (id: string, text: string) => void, afterFlush: () => void, delayMs = 500): Drafts {
  const pending = new Map<string, () => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  function flush(): boolean {
    clearTimeout(timer);
    if (!pending.size) return false;
    pending.forEach((run) => run());
    pending.clear();
    afterFlush();
    return true;
  }
  return {
    write(id, text, onSaved) {
      pending.set(id, () => {
        put(id, text);
        onSaved?.();
      });
      clearTimeout(timer);
      timer = setTimeout(flush, delayMs);
    },
    flush,
  };
}
