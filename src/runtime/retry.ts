/**
 * The one retry loop of the runtime: tries again after a failure with exponential backoff,
 * honours a server's Retry-After, and stops at a final failure or after a number of tries.
 * The LRS client, the cmi5 launch, the statement queue and the State writes all go through it.
 */

/** One try: a success, or a failure that may be worth another try. */
export type Attempt<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      value: T;
      /** Worth another try (a network error, 5xx, 429, 408…). */
      retry: boolean;
      /** The server asked for this pause (Retry-After), ms. */
      after?: number;
      /** For the failure report, e.g. the HTTP status (0: no answer). */
      status?: number;
    };

export interface RetryOptions<T> {
  /** At most this many tries (default: until a success or a final failure). */
  tries?: number;
  /** First pause, ms; it doubles with each failure in a row… */
  base: number;
  /** …up to this. */
  cap: number;
  wait?: (ms: number) => Promise<void>;
  /** Failures in a row, kept by the caller across calls, so a channel that kept failing waits longer. */
  failures?: { count: number };
  /** Told of each failure (with the count so far) before the pause. */
  onFailure?: (failures: number, attempt: Extract<Attempt<T>, { ok: false }>) => void;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Exponential backoff from `base`, capped; a server's Retry-After wins when longer (≤ 10 min). */
export const backoff = (failures: number, base: number, cap: number, after = 0): number =>
  Math.max(Math.min(base * 2 ** Math.max(failures - 1, 0), cap), Math.min(after, 600_000));

export async function retry<T>(attempt: () => Promise<Attempt<T>>, options: RetryOptions<T>): Promise<T> {
  const failures = options.failures ?? { count: 0 };
  for (let tries = 1; ; tries++) {
    const a = await attempt();
    if (a.ok) {
      failures.count = 0;
      return a.value;
    }
    failures.count++;
    options.onFailure?.(failures.count, a);
    if (!a.retry || tries >= (options.tries ?? Infinity)) return a.value;
    await (options.wait ?? sleep)(backoff(failures.count, options.base, options.cap, a.after));
  }
}
