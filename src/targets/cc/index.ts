/**
 * IMS Common Cartridge 1.1 (`<slug>-cc.imscc`): the course as native content of the LMS that
 * imports it — pages as web content, knowledge checks and quizzes as QTI assessments graded by the
 * LMS, workbook tasks as essays, polls as an ungraded survey. No runtime and no script: neither
 * Canvas nor Moodle runs a package's script in an imported page.
 */
import { contentHash, memoized, type Memo } from '../../memo.ts';
import { withoutBody, type CompiledCourse, type Course } from '../../model.ts';
import type { Strings } from '../../strings.ts';
import type { Files, RenderedBody } from '../../render/site.ts';
import { loadTheme } from '../../render/theme.ts';
import type { Target } from '../types.ts';
import { assetPath, CSS_PATH, fromAssessment, fromPage, MANIFEST } from './layout.ts';
import type { LinkTargets } from './links.ts';
import { cartridgeManifest } from './manifest.ts';
import { renderPage } from './page.ts';
import { planCartridge, type CartridgePlan, type PagePlan } from './plan.ts';
import { renderAssessment } from './qti.ts';
import { cartridgeStrings } from './strings.ts';

export const cc: Target = {
  name: 'cc',
  // Never bundled: the cartridge is assembled without the site's shell and runtime.
  runtime: 'web',
  connectSrc: "'self'",
  output: 'zip',
  extension: '.imscc',
  assemble: assembleCartridge,
  async extraFiles() {
    return new Map();
  },
};

export async function assembleCartridge(
  compiled: CompiledCourse, bodies: Map<string, RenderedBody>, assets: Files, memo?: Memo,
): Promise<Files> {
  const { course } = compiled;
  const theme = await loadTheme(course.theme, course.language);
  const say = cartridgeStrings(theme.strings);
  const plan = planCartridge(compiled, bodies, say, memo);
  const files: Files = new Map([[CSS_PATH, theme.css]]);
  for (const [path, content] of assets) files.set(assetPath(path), content);
  const uses = new Map<string, string[]>();
  const inputs = memo ? inputsOf(plan, bodies, course, theme.strings) : () => null;

  const pageLinks = linkTargets(plan, (path) => fromPage(path));
  for (const pagePlan of plan.pages.values()) {
    if (!pagePlan.href) continue;
    const page = memoized(memo, ['cc-page', inputs(pagePlan)], () => {
      const { html, assets: used } = renderPage(pagePlan, course, pageLinks, say);
      return { html, assets: [...used] };
    });
    files.set(pagePlan.href, page.html);
    uses.set(pagePlan.page.id, [CSS_PATH, ...page.assets.map(assetPath)]);
  }
  const qtiLinks = linkTargets(plan, fromAssessment);
  for (const assessment of plan.assessments) {
    const rendered = memoized(memo, ['cc-qti', assessment.ident, inputs(plan.pages.get(assessment.page.id)!)], () => {
      const { xml, assets: used } = renderAssessment(assessment, qtiLinks);
      return { xml, assets: [...used] };
    });
    files.set(assessment.href, rendered.xml);
    uses.set(assessment.ident, rendered.assets.map(assetPath));
  }
  const shared = [CSS_PATH, ...[...assets.keys()].map(assetPath)].sort();
  files.set(MANIFEST, cartridgeManifest({ course, plan, shared, uses }));
  return files;
}

/**
 * Everything a page's cartridge files (its page, its assessments) are made from, as plain data for
 * the memo: the page without its tree, its rendered body (by its key), its module, its assessments, where
 * every page of the cartridge is (the links), the course's language and the theme's strings.
 */
function inputsOf(plan: CartridgePlan, bodies: Map<string, RenderedBody>, course: Course, strings: Strings) {
  const hrefs = [...plan.pages].map(([id, p]) => [id, p.href]);
  const shared = contentHash([hrefs, course.language, strings]);
  return ({ page, href, assessments }: PagePlan) => ({
    shared,
    page: withoutBody(page),
    href,
    body: bodies.get(page.id)!.key ?? bodies.get(page.id)!.html,
    module: course.modules.find((m) => m.id === page.moduleId)?.title ?? null,
    assessments: assessments.map(({ ident, title, group, interactions, href: file, hasRubric }) =>
      ({ ident, title, group, interactions, href: file, rubric: hasRubric })),
  });
}

/** Links from one kind of file (page or assessment) to pages and assets of the cartridge. */
function linkTargets(plan: CartridgePlan, from: (path: string) => string): LinkTargets {
  return {
    isPage: (id) => plan.pages.has(id),
    page: (id) => {
      const href = plan.pages.get(id)?.href;
      return href ? from(href) : null;
    },
    asset: (sitePath) => from(assetPath(sitePath)),
  };
}
