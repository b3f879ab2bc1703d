/**
 * A package of the fixture course, served on 127.0.0.1, played inside an LMS stand-in page that
 * hosts scorm-again's real API (the browser builds of scorm-again, as an LMS would load them).
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { RuntimeCourse, RuntimeInteraction } from '../../../src/model.ts';
import { bundleRuntime, type RuntimeEntry } from '../../../src/runtime/bundle.ts';

const require = createRequire(import.meta.url);
// The package's main file lives in dist/, next to the browser builds.
const scormAgainDist = dirname(require.resolve('scorm-again'));

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The markup of docs/runtime.md, for one interaction. */
function block(it: RuntimeInteraction, onQuiz: boolean): string {
  const id = it.id;
  const prompt = `<div class="cp-prompt" id="cp-${id}-prompt"><p>${esc(it.prompt)}</p></div>`;
  if (it.kind === 'response')
    return `<section class="cp-response" id="cp-${id}" data-interaction="${id}">${prompt}<textarea class="cp-textarea" id="cp-${id}-input" rows="8" aria-labelledby="cp-${id}-prompt" aria-describedby="cp-${id}-status"></textarea><p class="cp-save-status" id="cp-${id}-status" aria-live="polite"></p></section>`;
  const multiple = it.type === 'multiple';
  const inputs =
    it.kind === 'question' && it.type === 'fill-in'
      ? `<input class="cp-fill" type="text" id="cp-${id}-input" aria-labelledby="cp-${id}-prompt" autocomplete="off">`
      : `<fieldset class="cp-choices" aria-labelledby="cp-${id}-prompt">${it.choices
          .map((c) => `<label class="cp-choice"><input type="${multiple ? 'checkbox' : 'radio'}" name="cp-${id}" value="${c.id}"> <span>${esc(c.text)}</span></label>`)
          .join('')}</fieldset>`;
  if (it.kind === 'poll')
    return `<section class="cp-poll" id="cp-${id}" data-interaction="${id}" data-type="${it.type}">${prompt}${inputs}<div class="cp-actions"><button type="button" class="cp-button" data-action="submit-poll">Submit</button></div><div class="cp-feedback" id="cp-${id}-feedback" aria-live="polite"><p class="cp-verdict"></p></div></section>`;
  return `<section class="cp-question" id="cp-${id}" data-interaction="${id}" data-type="${it.type}">${prompt}${inputs}${
    onQuiz ? '' : '<div class="cp-actions"><button type="button" class="cp-button" data-action="check">Check answer</button></div>'
  }<div class="cp-feedback" id="cp-${id}-feedback" aria-live="polite"><p class="cp-verdict"></p><div class="cp-explanation" hidden><p>Because of ${esc(id)}.</p></div></div></section>`;
}

export function fragments(course: RuntimeCourse): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of course.pages) {
    const body = p.interactionIds.map((id) => `<p>Some text before ${id}.</p>` + block(course.interactions[id], p.type === 'quiz')).join('');
    const exporter =
      p.type === 'workbook'
        ? '<div class="cp-export"><button type="button" class="cp-button" data-action="export-markdown">Markdown</button><button type="button" class="cp-button" data-action="export-html">HTML</button><button type="button" class="cp-button" data-action="print">Print</button></div>'
        : '';
    const prompt =
      p.id === 'lesson-1'
        ? '<div class="cp-prompt-card" role="note" aria-label="Suggested question"><p class="cp-prompt-card-label">Suggested question</p><blockquote class="cp-prompt-text"><p>Which AI tools fit my store?</p></blockquote><div class="cp-actions"><button type="button" class="cp-button" data-action="copy-prompt">Copy prompt</button></div></div>'
        : '';
    const quiz =
      p.type === 'quiz'
        ? `<div class="cp-quiz" data-quiz="${p.id}"><div class="cp-actions"><button type="button" class="cp-button" data-action="submit-quiz">Submit answers</button><button type="button" class="cp-button" data-action="retry-quiz" hidden>Try again</button></div><div class="cp-quiz-result" aria-live="polite"></div></div>`
        : '';
    out[p.href] = `<header class="cp-page-header"><h1 tabindex="-1">${esc(p.title)}</h1></header>${exporter}<div class="cp-content">${body}${prompt}</div>${quiz}`;
  }
  return out;
}

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

function shell(course: RuntimeCourse): string {
  const toc = course.pages.map((p) => `<li><a href="#${p.id}" data-page="${p.id}">${esc(p.title)}</a></li>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>${esc(course.title)}</title><script src="course.js" defer></script><script src="runtime.js" defer></script></head>
<body><a class="cp-skip" href="#cp-main">Skip</a><header><button type="button" id="cp-toc-toggle" aria-controls="cp-toc" aria-expanded="false">Contents</button>
<progress id="cp-progress" max="100" value="0" aria-labelledby="cp-progress-label"></progress><span id="cp-progress-label">Course progress: 0%</span></header>
<nav id="cp-toc" aria-label="Course contents"><ol>${toc}</ol></nav>
<main id="cp-main" tabindex="-1"><article id="cp-page" aria-busy="true"><p>Loading…</p></article>
<nav><button type="button" id="cp-prev">Previous</button><button type="button" id="cp-next">Next</button></nav></main>
<div id="cp-notice" role="status" hidden></div></body></html>`;
}

/** The LMS stand-in: the API in the parent window, the course in an iframe, a log of every call. */
function lmsPage(standard: 'scorm12' | 'scorm2004'): string {
  const [cls, name, methods, err] =
    standard === 'scorm12'
      ? ['Scorm12API', 'API', ['LMSInitialize', 'LMSGetValue', 'LMSSetValue', 'LMSCommit', 'LMSFinish'], 'LMSGetLastError']
      : ['Scorm2004API', 'API_1484_11', ['Initialize', 'GetValue', 'SetValue', 'Commit', 'Terminate'], 'GetLastError'];
  return `<!doctype html><html><head><meta charset="utf-8"><script src="/lms/${standard}.js"></script></head><body>
<script src="/lms/setup.js?standard=${standard}&cls=${cls}&name=${name}&methods=${methods.join(',')}&err=${err}"></script>
<iframe id="sco" src="/${standard}/index.html" style="width:1000px;height:700px"></iframe></body></html>`;
}

// A known learner; the LMS data a previous session left (sessionStorage of the LMS page); a log of every call.
const setupJs = `(() => {
  const q = new URL(document.currentScript.src).searchParams;
  const api = new window[q.get('cls')]({ logLevel: 5 });
  const saved = sessionStorage.getItem('lms-data');
  const learner = q.get('standard') === 'scorm12' ? { core: { student_id: 'u1', student_name: 'Doe, Jane' } } : { learner_id: 'u1', learner_name: 'Doe, Jane' };
  api.loadFromJSON(saved ? JSON.parse(saved) : { cmi: learner });
  if (q.get('standard') === 'scorm12') {
    // SCORM 1.2's 4,096 characters of suspend_data, cut silently as some LMS players do (scorm-again
    // keeps 64,000): the runtime reads a long state back and falls back to the core.
    const set = api.LMSSetValue.bind(api);
    api.LMSSetValue = (e, v) => set(e, e === 'cmi.suspend_data' ? String(v).slice(0, 4096) : v);
  }
  window.calls = [];
  for (const m of q.get('methods').split(',')) {
    const f = api[m].bind(api);
    api[m] = (...args) => {
      const result = f(...args);
      window.calls.push({ method: m, args, result: String(result), error: String(api[q.get('err')]()) });
      return result;
    };
  }
  window.lmsData = () => JSON.parse(JSON.stringify(api.cmi));
  window[q.get('name')] = api;
})();`;

export interface Served {
  url: string;
  close(): Promise<void>;
}

export async function serve(course: RuntimeCourse): Promise<Served> {
  const files: Record<string, [string, string]> = {
    '/lms/scorm12.js': ['text/javascript', readFileSync(join(scormAgainDist, 'scorm12.min.js'), 'utf8')],
    '/lms/scorm2004.js': ['text/javascript', readFileSync(join(scormAgainDist, 'scorm2004.min.js'), 'utf8')],
    '/lms/setup.js': ['text/javascript', setupJs],
    '/lms-scorm12.html': ['text/html', lmsPage('scorm12')],
    '/lms-scorm2004.html': ['text/html', lmsPage('scorm2004')],
  };
  // One package per runtime entry, each under its own folder.
  for (const entry of ['scorm12', 'scorm2004', 'web'] as RuntimeEntry[]) {
    files[`/${entry}/index.html`] = ['text/html', shell(course)];
    files[`/${entry}/course.js`] = ['text/javascript', `self.COURSEPACK=${JSON.stringify(course)};`];
    files[`/${entry}/runtime.js`] = ['text/javascript', await bundleRuntime(entry)];
    for (const [href, html] of Object.entries(fragments(course))) files[`/${entry}/${href}`] = ['text/html', html];
  }
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url || '/', 'http://x').pathname;
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    const file = files[path];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file[0] + '; charset=utf-8', 'cache-control': 'no-store' }).end(file[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
