/**
 * A small static HTTP server on 127.0.0.1 (random port) for the browser tests: no network, every
 * file the browser gets comes from a folder mounted here. It remembers every request it could not
 * answer (a missing image, a wrong path in a page) so a test can assert there were none.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { serveHttp } from '../http.ts';

/** The repository root (tests/support/browser → ../../..). */
export const REPO_ROOT = resolve(import.meta.dirname, '../../..');

/** Folders every test server mounts: the LMS host page and the two libraries the tests load. */
export const DEFAULT_MOUNTS: Record<string, string> = {
  '/lms/': join(REPO_ROOT, 'src/preview/client'),
  '/vendor/scorm-again/': join(REPO_ROOT, 'node_modules/scorm-again/dist'),
  '/vendor/axe-core/': join(REPO_ROOT, 'node_modules/axe-core'),
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.xsd': 'application/xml; charset=utf-8',
  '.dtd': 'application/xml-dtd; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.mp3': 'audio/mpeg',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.vtt': 'text/vtt; charset=utf-8',
  '.pdf': 'application/pdf',
};

export interface StaticServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  origin: string;
  /** Serves `dir` under `prefix` (which starts and ends with `/`); a later mount of a prefix replaces it. */
  mount(prefix: string, dir: string): void;
  /** Requests answered 404 (path only), in order; the favicon is not counted. */
  readonly notFound: string[];
  close(): Promise<void>;
}

export async function startStaticServer(mounts: Record<string, string> = {}): Promise<StaticServer> {
  const table = new Map<string, string>();
  const mount = (prefix: string, dir: string): void => {
    if (!prefix.startsWith('/') || !prefix.endsWith('/')) throw new Error(`mount prefix must be /…/: ${prefix}`);
    table.set(prefix, resolve(dir));
  };
  for (const [prefix, dir] of Object.entries({ ...DEFAULT_MOUNTS, ...mounts })) mount(prefix, dir);
  const notFound: string[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url || '/', 'http://127.0.0.1');
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return send(res, 400, 'bad path');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
    if (path === '/favicon.ico') return send(res, 204, '');
    // Longest prefix first, so /sco/a/ can sit inside /sco/.
    const prefix = [...table.keys()].sort((a, b) => b.length - a.length).find((p) => path.startsWith(p));
    if (prefix) {
      const root = table.get(prefix)!;
      let file = resolve(root, '.' + sep + path.slice(prefix.length));
      if (file === root || file.startsWith(root + sep)) {
        try {
          if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
          const body = await readFile(file);
          res.writeHead(200, {
            'content-type': TYPES[extname(file).toLowerCase()] || 'application/octet-stream',
            'content-length': body.length,
            'cache-control': 'no-store',
          });
          res.end(req.method === 'HEAD' ? undefined : body);
          return;
        } catch {
          /* 404 below */
        }
      }
    }
    notFound.push(path);
    send(res, 404, 'not found');
  }

  const server = await serveHttp(handle);
  return { origin: server.origin, mount, notFound, close: () => server.close() };
}

function send(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}
