/**
 * A real LRS for the tests: Learning Locker's statement service (npm `xapi-statements`) as a child
 * process on 127.0.0.1, in-memory models, test auth (any Basic credentials are accepted), no
 * network. It only has the Statement resource (and `about`): the State and Agent Profile
 * resources and the cmi5 LMS side are in launch-server.ts, which forwards statements here.
 *
 *   const lrs = await startLrs();
 *   lrs.endpoint            // http://127.0.0.1:PORT/xAPI/  (statements at `${endpoint}statements`)
 *   await lrs.post([...])   // straight to the LRS, bypassing the stand-in
 *   await lrs.statements({ registration })   // every match, in stored order (pages through `more`)
 *   await lrs.restart()     // same port; stored statements are put back (the models are in memory)
 *   await lrs.stop()
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const SERVICE = join(REPO_ROOT, 'node_modules/xapi-statements/dist/index.js');
const LOOPBACK = join(import.meta.dirname, 'loopback.cjs');

export { XAPI_VERSION, type Statement } from '../../../src/preview/lms/vocabulary.ts';
import { XAPI_VERSION, type Statement } from '../../../src/preview/lms/vocabulary.ts';

/** A query for GET statements: values are sent as strings, objects (agent) as JSON. */
export type StatementQuery = Record<string, string | number | boolean | object | undefined>;

export interface Lrs {
  /** `http://127.0.0.1:PORT/xAPI/`, with the trailing slash. */
  readonly endpoint: string;
  readonly port: number;
  /** The Basic credentials the tests use (any work with AUTH_REPO=test). */
  readonly authorization: string;
  /** What the service printed (stdout and stderr), for failure messages. */
  readonly output: string[];
  /** Every statement matching `query`, in stored order (ascending), following `more` links. */
  statements(query?: StatementQuery, pageSize?: number): Promise<Statement[]>;
  /** POSTs statements straight to the LRS; returns the stored ids. Throws on a non-2xx answer. */
  post(statements: unknown[]): Promise<string[]>;
  /** Stops the service (the port is then closed). */
  stop(): Promise<void>;
  /**
   * Starts it again on the same port. The service keeps its models in memory, so by default the
   * statements stored before are posted back, in stored order (`stored` times are new then);
   * `{ keepStatements: false }` starts empty.
   */
  restart(options?: { keepStatements?: boolean }): Promise<void>;
  readonly running: boolean;
  /** Stops it for good and removes its temporary folder. */
  close(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (asked from the OS, then released). */
export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

export async function startLrs(options: { port?: number; startTimeoutMs?: number } = {}): Promise<Lrs> {
  const port = options.port ?? (await freePort());
  const dir = await mkdtemp(join(tmpdir(), 'coursepack-lrs-'));
  const origin = `http://127.0.0.1:${port}`;
  const endpoint = `${origin}/xAPI/`;
  const authorization = 'Basic ' + Buffer.from('coursepack-tests:secret').toString('base64');
  const output: string[] = [];
  let child: ChildProcess | null = null;

  const headers = (json = false): Record<string, string> => ({
    authorization,
    'x-experience-api-version': XAPI_VERSION,
    ...(json ? { 'content-type': 'application/json' } : {}),
  });

  async function spawn(): Promise<void> {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      // The brief's settings: test auth and events, in-memory models, attachments on disk.
      AUTH_REPO: 'test',
      EVENTS_REPO: 'test',
      MODELS_REPO: 'memory',
      STORAGE_REPO: 'local',
      EXPRESS_PORT: String(port),
      // Everything it would write lives in a temporary folder; it logs errors only.
      FS_LOCAL_STORAGE_DIR: join(dir, 'storage'),
      EXPRESS_MORGAN_DIRECTORY: join(dir, 'access-logs'),
      WINSTON_CONSOLE_LEVEL: 'error',
      WINSTON_CLOUDWATCH_ENABLED: 'false',
      // Store, then answer: statement side effects (activity definitions, refs) are done first.
      SERVICE_AWAIT_UPDATES: 'true',
      // Its config reads LANG as the default language of language maps: keep it a language tag.
      LANG: 'en',
      // Nothing of this may reach the outside: these point at nothing that exists.
      MONGO_URL: 'mongodb://127.0.0.1:1/none',
      REDIS_URL: 'redis://127.0.0.1:1/0',
      LL_CLIENT_INFO_ENDPOINT: `${origin}/auth`,
      NODE_NO_WARNINGS: '1',
      AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
    };
    const proc = fork(SERVICE, [], {
      cwd: dir, // its dotenv reads `.env` from the working folder: an empty temporary one
      env,
      execArgv: ['--require', LOOPBACK],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child = proc;
    const keep = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.length > 200) output.splice(0, output.length - 200);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    const timeout = options.startTimeoutMs ?? 20_000;
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`the LRS did not start within ${timeout} ms:\n${output.join('')}`)), timeout);
      const exited = (code: number | null) => {
        clearTimeout(timer);
        fail(new Error(`the LRS exited (code ${code}) before it was ready:\n${output.join('')}`));
      };
      proc.once('exit', exited);
      // server.js sends 'ready' over IPC once it listens.
      proc.on('message', (m) => {
        if (m !== 'ready') return;
        clearTimeout(timer);
        proc.off('exit', exited);
        ok();
      });
    });
    // …and then it has to answer.
    const until = Date.now() + timeout;
    for (;;) {
      try {
        const res = await fetch(`${endpoint}about`, { headers: headers() });
        if (res.ok) return;
      } catch {
        /* not yet */
      }
      if (Date.now() > until) throw new Error(`the LRS does not answer at ${endpoint}about:\n${output.join('')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function kill(): Promise<void> {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((ok) => {
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      proc.once('exit', () => {
        clearTimeout(timer);
        ok();
      });
      proc.kill('SIGTERM');
    });
  }

  async function statements(query: StatementQuery = {}, pageSize = 1000): Promise<Statement[]> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined) continue;
      params.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
    }
    params.set('ascending', 'true');
    if (!params.has('limit')) params.set('limit', String(pageSize));
    const all: Statement[] = [];
    const seen = new Set<string>();
    let cursor: string | null = null;
    for (let page = 0; ; page++) {
      if (cursor) params.set('cursor', cursor);
      const res = await fetch(`${endpoint}statements?${params}`, { headers: headers() });
      const text = await res.text();
      if (!res.ok) throw new Error(`GET statements?${params} → ${res.status}: ${text}`);
      const body = JSON.parse(text) as { statements: Statement[]; more?: string };
      for (const s of body.statements) {
        // The memory repo's cursor compares v1 UUIDs as strings; a repeat would mean it went wrong.
        if (seen.has(s.id)) throw new Error(`GET statements: ${s.id} came twice while paging (cursor ${cursor})`);
        seen.add(s.id);
        all.push(s);
      }
      // The service writes `more` with its query values unencoded (an agent would not survive),
      // so only its cursor is taken and the query is sent again as built here.
      const next = body.more ? /[?&]cursor=([^&]+)/.exec(body.more)?.[1] ?? null : null;
      if (!next || body.statements.length === 0) return all;
      if (page > 10_000) throw new Error('GET statements: more than 10,000 pages');
      cursor = decodeURIComponent(next);
    }
  }

  async function post(list: unknown[]): Promise<string[]> {
    const res = await fetch(`${endpoint}statements`, { method: 'POST', headers: headers(true), body: JSON.stringify(list) });
    const text = await res.text();
    if (!res.ok) throw new Error(`POST statements → ${res.status}: ${text}`);
    return JSON.parse(text) as string[];
  }

  await spawn();

  return {
    endpoint,
    port,
    authorization,
    output,
    statements,
    post,
    get running() {
      return child !== null;
    },
    async stop() {
      await kill();
    },
    async restart({ keepStatements = true } = {}) {
      const kept = keepStatements && child ? await statements() : [];
      await kill();
      await spawn();
      if (kept.length) {
        // Posted back as sent: what the LRS added itself (stored, authority, version) is left out.
        const bare = kept.map(({ stored: _s, authority: _a, version: _v, ...rest }) => rest);
        for (let i = 0; i < bare.length; i += 500) await post(bare.slice(i, i + 500));
      }
    },
    async close() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
