/**
 * `coursepack preview`: builds the course in memory and plays it inside an LMS stand-in, on
 * 127.0.0.1 only. Saving a course file rebuilds what changed and relaunches the course where the
 * learner was; a broken course shows its diagnostics in the page while the last good build plays.
 *
 * SCORM targets play in the scorm-again stand-in; xAPI and cmi5 targets are launched by a local
 * LRS stand-in (lrs.ts) whose statements the page shows as they are stored.
 *
 * It serves nothing but the in-memory package, its own client files and two vendor scripts: every
 * path is looked up in a table, so no request can reach another file on disk.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { watch } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { own } from '../paths.ts';
import type { AddressInfo } from 'node:net';
import type { TargetName } from '../model.ts';
import { formatDiagnostic } from '../diagnostics.ts';
import { createBuilder, type PreviewBuild } from './builder.ts';
import { createPreviewLrs, type PreviewLrs, type Statement } from './lrs.ts';
import { PREVIEW_HEADERS } from './headers.ts';

export interface PreviewOptions {
  courseDir: string;
  target: TargetName;
  /** 0 picks a free port. */
  port: number;
  watch: boolean;
}

export interface Preview {
  url: string;
  /** Resolves after the next rebuild (for tests and the benchmark). */
  rebuilt(): Promise<PreviewStatus>;
  close(): Promise<void>;
}

export interface PreviewStatus {
  build: number;
  ok: boolean;
  target: TargetName;
  title: string;
  /** `file:line:column: …` lines, as the CLI prints them. */
  diagnostics: string[];
  ms: number;
  /** Package files that differ from the build before (all of them on the first). */
  changed: string[];
  /** Whether statements go to the preview's in-memory LRS stand-in (xAPI, cmi5). */
  lrs: 'stand-in' | null;
  /** What the LMS stand-in needs to launch like a real LMS. */
  launch: { masteryScore: number | null; scaledPassingScore: number | null };
}

const CLIENT_DIR = own('src', 'preview', 'client');
const require = createRequire(import.meta.url);
// The browser builds sit beside the package's CommonJS entry (dist/).
const SCORM_AGAIN = dirname(require.resolve('scorm-again'));

/** The stand-in's own files, by URL path. Nothing else on disk is ever served. */
const CLIENT_FILES: Record<string, string> = {
  '/': join(CLIENT_DIR, 'preview.html'),
  '/lms/preview.js': join(CLIENT_DIR, 'preview.js'),
  '/lms/preview.css': join(CLIENT_DIR, 'preview.css'),
  '/lms/lms-host.js': join(CLIENT_DIR, 'lms-host.js'),
  '/vendor/scorm-again/scorm12.min.js': join(SCORM_AGAIN, 'scorm12.min.js'),
  '/vendor/scorm-again/scorm2004.min.js': join(SCORM_AGAIN, 'scorm2004.min.js'),
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.xml': 'application/xml', '.xsd': 'application/xml', '.dtd': 'application/xml-dtd',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif',
  '.webp': 'image/webp', '.mp4': 'video/mp4', '.mp3': 'audio/mpeg', '.pdf': 'application/pdf',
};

const PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'";

export async function startPreview(options: PreviewOptions): Promise<Preview> {
  const rebuild = createBuilder(options.courseDir, options.target);
  const tracked = TRACKED.has(options.target);
  // Made once the port is known: launch URLs and the allowed origin name it.
  let lrs: PreviewLrs | null = null;
  let current: PreviewBuild = await rebuild();
  let build = 1;
  let changed = [...current.files.keys()];
  const clients = new Set<ServerResponse>();
  let waiters: ((s: PreviewStatus) => void)[] = [];

  const status = (): PreviewStatus => previewStatus(current, build, changed, options.target);

  function emit(event: string, data: unknown): void {
    const text = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const client of clients) client.write(text);
  }

  const broadcast = () => {
    emit('build', status());
    const ready = waiters;
    waiters = [];
    ready.forEach((w) => w(status()));
  };

  // Saves come in bursts (editors write, rename, touch): rebuild once the burst is over.
  let timer: NodeJS.Timeout | undefined;
  let building: Promise<void> = Promise.resolve();
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      building = building.then(async () => {
        const before = current.files;
        current = await rebuild();
        changed = [...current.files].filter(([path, content]) => !same(before.get(path), content)).map(([path]) => path);
        build++;
        broadcast();
      });
    }, 5);
  };
  const watcher = options.watch ? watch(options.courseDir, { recursive: true }, schedule) : null;

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', String(error));
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Only this machine, by name: a page elsewhere cannot reach the preview through DNS rebinding.
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (host !== '127.0.0.1' && host !== 'localhost') return send(res, 403, 'text/plain', 'Forbidden');
    // Browsers name the page that made a request in Origin: only the preview's own pages may act.
    if (req.headers.origin !== undefined && req.headers.origin !== `http://${req.headers.host}`) return send(res, 403, 'text/plain', 'Forbidden');
    let url: URL;
    let path: string;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
      path = decodeURIComponent(url.pathname);
    } catch {
      return notFound(res);
    }
    if (lrs?.serves(url.pathname)) return lrs.handle(req, res);
    if (path === '/control' && req.method === 'POST') return control(req, res, lrs);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'Method not allowed');
    if (path === '/launch' && lrs && current.compiled) {
      const origin = `http://${req.headers.host}`;
      return send(res, 200, TYPES['.json'], JSON.stringify({ url: await lrs.launch(current.files, options.target as 'xapi' | 'cmi5', origin) }));
    }
    if (path === '/learner.json') {
      const data = lrs ? { statements: lrs.statements, documents: lrs.documents() } : {};
      return send(res, 200, TYPES['.json'], JSON.stringify(data, null, 2));
    }
    if (path === '/events') return events(res);
    if (path === '/status') return send(res, 200, TYPES['.json'], JSON.stringify(status()));
    if (path.startsWith('/sco/')) {
      const file = current.files.get(path.slice('/sco/'.length));
      if (file === undefined) return notFound(res);
      return send(res, 200, TYPES[extname(path)] ?? 'application/octet-stream', file);
    }
    const client = CLIENT_FILES[path];
    if (!client) return notFound(res);
    return send(res, 200, TYPES[extname(client)] ?? 'application/octet-stream', await readFile(client));
  }

  function events(res: ServerResponse): void {
    res.writeHead(200, { ...PREVIEW_HEADERS, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(`event: build\ndata: ${JSON.stringify(status())}\n\n`);
    clients.add(res);
    res.on('close', () => clients.delete(res));
  }

  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  if (tracked) {
    lrs = createPreviewLrs(`http://127.0.0.1:${port}`, [`http://localhost:${port}`]);
    lrs.onStatement((statement) => emit('statement', summarise(statement)));
  }
  return {
    url: `http://127.0.0.1:${port}/`,
    rebuilt: () => new Promise((resolve) => waiters.push(resolve)),
    async close() {
      watcher?.close();
      clearTimeout(timer);
      for (const client of clients) client.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const TRACKED = new Set<TargetName>(['xapi', 'cmi5']);

/** The page's buttons: simulate an LRS failure, start a new learner. Same-origin scripts only. */
function control(req: IncomingMessage, res: ServerResponse, lrs: PreviewLrs | null): void {
  // A custom header cannot come from a plain cross-site form: only the preview page sends it.
  if (req.headers['x-coursepack'] !== 'preview') return send(res, 403, 'text/plain', 'Forbidden');
  const action = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('action');
  if (lrs && action === 'fail') lrs.failing = true;
  else if (lrs && action === 'recover') lrs.failing = false;
  else if (lrs && action === 'reset') lrs.reset();
  else return send(res, 400, 'text/plain', 'Unknown action');
  return send(res, 204, 'text/plain', '');
}

function previewStatus(current: PreviewBuild, build: number, changed: string[], target: TargetName): PreviewStatus {
  const course = current.compiled?.course;
  const mastery = course?.scoring?.mastery ?? null;
  return {
    build,
    ok: current.ok,
    target,
    title: course?.title ?? 'Course',
    diagnostics: current.diagnostics.sorted().map(formatDiagnostic),
    ms: Math.round(current.ms),
    changed,
    lrs: TRACKED.has(target) ? 'stand-in' : null,
    launch: {
      masteryScore: mastery === null ? null : Math.round(mastery * 100),
      scaledPassingScore: mastery,
    },
  };
}

/** What the panel shows of a stored statement. */
function summarise(s: Statement) {
  const result = s.result as { success?: boolean; completion?: boolean; score?: { scaled?: number }; response?: string } | undefined;
  return {
    id: s.id,
    verb: s.verb.id.split('/').pop(),
    object: s.object?.id ?? '',
    result: result
      ? [result.score?.scaled !== undefined ? `score ${result.score.scaled}` : '', result.success !== undefined ? `success ${result.success}` : '',
        result.completion !== undefined ? `completion ${result.completion}` : '', result.response !== undefined ? `response ${JSON.stringify(result.response.slice(0, 60))}` : '']
        .filter(Boolean).join(', ')
      : '',
  };
}

function same(a: string | Buffer | undefined, b: string | Buffer): boolean {
  if (a === undefined) return false;
  return typeof a === 'string' || typeof b === 'string' ? String(a) === String(b) : a.equals(b);
}

function send(res: ServerResponse, code: number, type: string, body: string | Buffer): void {
  res.writeHead(code, {
    ...PREVIEW_HEADERS,
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...(type.startsWith('text/html') ? { 'Content-Security-Policy': PAGE_CSP } : {}),
  });
  res.end(body);
}

function notFound(res: ServerResponse): void {
  send(res, 404, 'text/plain; charset=utf-8', 'Not found');
}
