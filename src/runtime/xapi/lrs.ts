/**
 * The LRS over plain `fetch`: every request carries `X-Experience-API-Version: 1.0.3` and the
 * launch's Authorization; URLs are joined with care (the endpoint may lack its trailing slash);
 * bodies are compact JSON. We use fetch rather than @xapi/xapi's client to control `keepalive`,
 * timeouts and retries, and to keep the runtime small (the client alone is ~18 KB min+gz).
 */
import { lrsUrl } from './launch.ts';
import { retry, sleep, type Attempt } from '../retry.ts';

export { backoff, sleep } from '../retry.ts';

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface Lrs {
  readonly endpoint: string;
  /** Rejects on network errors and timeouts; any HTTP status resolves. */
  request(method: 'GET' | 'PUT' | 'POST', resource: string, query?: Record<string, string>, body?: string, keepalive?: boolean): Promise<Response>;
}

/** Browsers refuse keepalive bodies beyond 64 KiB in flight per page: stay under it. */
export const KEEPALIVE_BUDGET = 60_000;
let keepaliveInFlight = 0;

export const byteLength = (s: string): number => new TextEncoder().encode(s).length;

export interface LrsOptions {
  endpoint: string;
  /** Authorization header value; '' sends none. */
  auth: string;
  fetch?: Fetch;
  timeoutMs?: number;
}

export function createLrs({ endpoint, auth, fetch: f, timeoutMs = 10_000 }: LrsOptions): Lrs {
  const send: Fetch = f ?? ((input, init) => fetch(input, init));
  return {
    endpoint,
    async request(method, resource, query = {}, body, keepalive = false) {
      const headers: Record<string, string> = { 'X-Experience-API-Version': '1.0.3' };
      if (auth) headers.Authorization = auth;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const size = keepalive && body ? byteLength(body) : 0;
      const useKeepalive = keepalive && keepaliveInFlight + size <= KEEPALIVE_BUDGET;
      const init: RequestInit = { method, headers, body, cache: 'no-store' };
      let timer: ReturnType<typeof setTimeout> | undefined;
      if (useKeepalive) {
        init.keepalive = true;
        keepaliveInFlight += size;
      } else if (typeof AbortController !== 'undefined') {
        const abort = new AbortController();
        init.signal = abort.signal;
        timer = setTimeout(() => abort.abort(), timeoutMs);
      }
      try {
        return await send(lrsUrl(endpoint, resource, query), init);
      } finally {
        clearTimeout(timer);
        if (useKeepalive) keepaliveInFlight -= size;
      }
    },
  };
}

/** 5xx, 429, 408 and 401 are worth another try; a network error (status 0) too. */
export const transient = (status: number): boolean =>
  status === 0 || status === 401 || status === 408 || status === 429 || status >= 500;

/** Retry-After in ms (seconds or an HTTP date); 0 when absent or unreadable. */
export function retryAfter(res: Response | null): number {
  const v = res?.headers.get('Retry-After');
  if (!v) return 0;
  const s = Number(v);
  if (isFinite(s)) return Math.max(s, 0) * 1000;
  const at = Date.parse(v);
  return isNaN(at) ? 0 : Math.max(at - Date.now(), 0);
}

/** The failed try of a request (`res` null: no answer), for `retry`. */
export const failedRequest = <T>(res: Response | null, value: T): Attempt<T> => {
  const status = res ? res.status : 0;
  return { ok: false, value, retry: transient(status), after: retryAfter(res), status };
};

export type DocumentRead = { ok: true; doc: unknown } | { ok: false; status: number };

/**
 * GET a document (State, Agent Profile) with a few retries on transient failures. `doc` is null
 * for 404 (no document yet); a JSON body is parsed, anything else comes back as text.
 */
export function readDocument(
  lrs: Lrs,
  resource: string,
  query: Record<string, string>,
  { attempts = 3, base = 500, wait = sleep }: { attempts?: number; base?: number; wait?: (ms: number) => Promise<void> } = {},
): Promise<DocumentRead> {
  return retry<DocumentRead>(
    async () => {
      let res: Response | null = null;
      try {
        res = await lrs.request('GET', resource, query);
      } catch {
        /* no answer */
      }
      if (res?.status === 404) return { ok: true, value: { ok: true, doc: null } };
      if (!res?.ok) return failedRequest(res, { ok: false, status: res ? res.status : 0 });
      const text = await res.text().catch(() => '');
      try {
        return { ok: true, value: { ok: true, doc: text ? JSON.parse(text) : null } };
      } catch {
        return { ok: true, value: { ok: true, doc: text } };
      }
    },
    { tries: attempts, base, cap: 4000, wait },
  );
}
