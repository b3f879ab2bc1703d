/**
 * The files every target shares: the course shell (index.html), one fragment per page (its body
 * rendered from the model's tree), the course data for the runtime (course.js) and the theme's stylesheet. Rendered once per build; targets
 * add their runtime, manifest and schemas.
 */
import type { CompiledCourse, Course, Page, RuntimeCourse } from '../model.ts';
import { contentHash, memoized, type Memo } from '../memo.ts';
import type { Root as HastRoot } from 'hast';
import { bodyHtml, renderBodyTree, type BodyOptions } from './body.ts';
import { loadTheme } from './theme.ts';

/** Package path → contents. Paths use `/`. */
export type Files = Map<string, string | Buffer>;

export interface SiteOptions {
  /** Origins the runtime may send data to (xAPI/cmi5: the LRS, known only at launch). */
  connectSrc: string;
}

/** A page body, rendered and sanitised: as HTML, and as the tree it was written from. */
export interface RenderedBody {
  html: string;
  /** Read from the memo or rendered again on first use: most rebuilds need few trees (not to be changed). */
  readonly tree: HastRoot;
  /** With a memo: a hash of everything the body is made from, to key what is derived from it. */
  key: string | null;
}

export interface Site {
  /** Page fragments, course data and stylesheet. */
  files: Files;
  /** The rendered body of each page, by page id (blocks included). */
  bodies: Map<string, RenderedBody>;
  /** The course shell, with the Content-Security-Policy of a target. */
  shell: (options: SiteOptions) => string;
}

/** With a memo, a page body unchanged since the last build is not rendered again. */
export async function renderSite(compiled: CompiledCourse, memo?: Memo): Promise<Site> {
  const { course } = compiled;
  const theme = await loadTheme(course.theme, course.language);
  const files: Files = new Map();
  const moduleOf = new Map(course.modules.map((m) => [m.id, m]));
  const bodies = new Map<string, RenderedBody>();
  const options = { assistant: course.assistant, strings: theme.strings };
  const cache = memo ? { memo, optionsKey: contentHash(options) } : null;
  for (const page of course.pages) {
    const body = renderedBody(page, options, cache);
    const { html } = body;
    bodies.set(page.id, body);
    const module = page.moduleId ? moduleOf.get(page.moduleId) : undefined;
    files.set(pageHref(page), theme.page({
      page,
      module,
      html,
      isQuiz: page.type === 'quiz',
      isWorkbook: page.type === 'workbook',
      attemptsLimited: (page.quiz?.attempts ?? 0) > 0,
    }));
  }
  files.set('course.js', `self.COURSEPACK=${JSON.stringify(runtimeCourse(compiled, theme.strings))};\n`);
  files.set('theme.css', theme.css);
  const toc = tableOfContents(course);
  const shell = (options: SiteOptions) => theme.shell({ course, toc, csp: contentSecurityPolicy(options) });
  return { files, bodies, shell };
}

/** With a memo, a page body unchanged since the last build is not rendered again. */
function renderedBody(page: Page, options: BodyOptions, cache: { memo: Memo; optionsKey: string } | null): RenderedBody {
  if (!cache) {
    const tree = renderBodyTree(page.body, options);
    return { html: bodyHtml(tree), tree, key: null };
  }
  const { memo } = cache;
  const key = contentHash(['body', page.key ?? page.body, cache.optionsKey]);
  let tree: HastRoot | undefined;
  const treeOf = () => tree ??= memoized(memo, ['tree', key], () => renderBodyTree(page.body, options));
  const html = memoized(memo, ['html', key], () => bodyHtml(treeOf()));
  return { html, key, get tree() { return treeOf(); } };
}

export function pageHref(page: Page): string {
  return `pages/${page.id}.html`;
}

function tableOfContents(course: Course) {
  const overview = course.pages.filter((p) => p.moduleId === null);
  const byId = new Map(course.pages.map((p) => [p.id, p]));
  return {
    overview,
    modules: course.modules.map((m) => ({ ...m, pages: m.pageIds.map((id) => byId.get(id)) })),
  };
}

/** No inline script, no remote script: only the package's own files run. */
export function contentSecurityPolicy({ connectSrc }: SiteOptions): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self'",
    "font-src 'self'",
    `connect-src ${connectSrc}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function runtimeCourse({ course, interactions }: CompiledCourse, strings: Record<string, string>): RuntimeCourse {
  return {
    id: course.id,
    title: course.title,
    language: course.language,
    version: course.version,
    completion: course.completion,
    scoring: course.scoring,
    reporting: course.reporting,
    modules: course.modules.map(({ id, title, number }) => ({ id, title, number })),
    pages: course.pages.map((p) => ({
      id: p.id, title: p.title, type: p.type, moduleId: p.moduleId, required: p.required, quiz: p.quiz,
      interactionIds: p.interactionIds, href: pageHref(p),
    })),
    interactions: Object.fromEntries([...interactions].map(([id, { source: _source, ...rest }]) => [id, rest])),
    strings,
  };
}
