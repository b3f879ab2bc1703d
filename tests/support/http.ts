/**
 * The one HTTP server helper of the tests: listens on 127.0.0.1 (a free port unless given), turns a
 * handler's crash into a 500 (and tells `onCrash`), and can stop — dropping open connections, as a
 * server that goes away does — and listen again on the same port.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface HttpServer {
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  readonly port: number;
  readonly listening: boolean;
  /** Closes the listening socket and drops every open connection. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function serveHttp(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void,
  options: { port?: number; onCrash?: (req: IncomingMessage, error: Error) => void } = {},
): Promise<HttpServer> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((e: Error) => {
        options.onCrash?.(req, e);
        if (res.headersSent || res.destroyed) return void res.end();
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end(String(e));
      });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  let listening = false;
  let port = options.port ?? 0;
  const listen = () =>
    new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', fail);
        port = (server.address() as AddressInfo).port;
        listening = true;
        ok();
      });
    });
  const stop = () =>
    new Promise<void>((ok) => {
      if (!listening) return ok();
      listening = false;
      server.close(() => ok());
      server.closeAllConnections();
      for (const s of sockets) s.destroy();
    });
  await listen();
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    get listening() {
      return listening;
    },
    stop,
    async restart() {
      await stop();
      await listen();
    },
    close: stop,
  };
}
