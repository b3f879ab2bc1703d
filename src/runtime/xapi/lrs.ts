/**
 * The LRS over plain `fetch`: every request carries `X-Experience-API-Version: 1.0.3` and the
 * launch's Authorization; URLs are joined with care (the endpoint may lack its trailing slash);
 * bodies are compact JSON. We use fetch rather than @xapi/xapi's client to control `keepalive`,
 * timeouts and retries, and to keep the runtime small (the client alone is ~18 KB min+gz).
 */
import { lrsUrl } from './launch.ts';

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

/** Exponential backoff from `base`, capped; a server's Retry-After wins when longer (≤ 10 min). */
export const backoff = (failures: number, base: number, cap: number, after = 0): number =>
  Math.max(Math.min(base * 2 ** Math.max(failures - 1, 0), cap), Math.min(after, 600_000));

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export type DocumentRead = { ok: true; doc: unknown } | { ok: false; status: number };

/**
 * GET a document (State, Agent Profile) with a few retries on transient failures. `doc` is null
 * for 404 (no document yet); a JSON body is parsed, anything else comes back as text.
 */
export async function readDocument(
  lrs: Lrs,
  resource: string,
  query: Record<string, string>,
  { attempts = 3, base = 500, wait = sleep }: { attempts?: number; base?: number; wait?: (ms: number) => Promise<void> } = {},
): Promise<DocumentRead> {
  let status = 0;
  for (let i = 1; i <= attempts; i++) {
    let res: Response | null = null;
    try {
      res = await lrs.request('GET', resource, query);
      status = res.status;
    } catch {
      status = 0;
    }
    if (res && status === 404) return { ok: true, doc: null };
    if (res && res.ok) {
      const text = await res.text().catch(() => '');
      try {
        return { ok: true, doc: text ? JSON.parse(text) : null };
      } catch {
        return { ok: true, doc: text };
      }
    }
    if (!transient(status) || i === attempts) break;
    await wait(backoff(i, base, 4000, retryAfter(res)));
  }
  return { ok: false, status };
}
