/**
 * The preview's LMS and LRS: the spec-driven stand-in (lms/stand-in.ts) with statements kept in
 * memory, served under `/xapi/` and `/cmi5/fetch/` on the preview's own origin. It launches the
 * course from the package's own tincan.xml or cmi5.xml as a Tin Can or cmi5 LMS would, and can
 * play an LRS that is down (503) so authors can watch the runtime recover. It is a local stand-in,
 * not a conformant LRS: the preview says so.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Files } from '../render/site.ts';
import { PREVIEW_HEADERS } from './headers.ts';
import { createMemoryStatements } from './lms/statements.ts';
import { createStandIn, xapiPath } from './lms/stand-in.ts';
import type { Agent, Statement } from './lms/vocabulary.ts';

export type { Statement };

const ACTOR: Agent = { objectType: 'Agent', name: 'Learner, Preview', account: { homePage: 'http://127.0.0.1/', name: 'preview-learner' } };

export interface PreviewLrs {
  /** Answers a request under `/xapi/` or `/cmi5/fetch/`. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Whether a URL path is the stand-in's to answer. */
  serves(pathname: string): boolean;
  /** Launches the package (its files under `/sco/`): a new session of the learner's registration. */
  launch(files: Files, target: 'xapi' | 'cmi5', origin: string): Promise<string>;
  /** A new learner: a fresh registration, no statements, no state. */
  reset(): void;
  statements: Statement[];
  documents(): Record<string, unknown>;
  /** While true every xAPI request answers 503, as an LRS that is down. */
  failing: boolean;
  onStatement(listener: (s: Statement) => void): void;
}

/** `origin` is where the preview listens; `aliases` other names of it (`localhost`). */
export function createPreviewLrs(origin: string, aliases: string[]): PreviewLrs {
  let registration = randomUUID();
  const memory = createMemoryStatements();
  const lms = createStandIn({ origin, origins: aliases, statements: memory, headers: PREVIEW_HEADERS });
  const text = (files: Files, path: string) => {
    const file = files.get(path);
    if (file === undefined) throw new Error(`the package has no ${path}`);
    return String(file);
  };

  const lrs: PreviewLrs = {
    statements: memory.list,
    failing: false,
    documents: () => Object.fromEntries(lms.documents.list().map((d) => [d.name, d.value])),
    onStatement: (listener) => memory.onStored(listener),
    serves: (pathname) => xapiPath(pathname) !== null || pathname.startsWith('/cmi5/fetch/'),
    reset() {
      registration = randomUUID();
      memory.clear();
      lms.documents.clear();
    },
    async launch(files, target, at) {
      const base = `${at}/sco/`;
      const options = { actor: ACTOR, registration, origin: at };
      if (target === 'xapi') return lms.tinCanLaunch(text(files, 'tincan.xml'), base, options).url;
      return (await lms.cmi5Launch(text(files, 'cmi5.xml'), base, options)).url;
    },
    async handle(req, res) {
      const url = new URL(req.url ?? '/', origin);
      const path = xapiPath(url.pathname);
      if (lrs.failing && path !== null) {
        req.resume();
        return lms.write(req, res, { path, launch: null, status: 503, body: JSON.stringify({ error: 'The preview is simulating an LRS failure' }), headers: { 'content-type': 'application/json' } });
      }
      await lms.handle(req, res);
    },
  };
  return lrs;
}
