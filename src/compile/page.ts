/**
 * Compiles one Markdown file on its own: front matter, blocks, links, and the body as a tree. Pure and
 * serialisable in and out, so pages can be cached by content and compiled in parallel.
 */
import { toString } from 'mdast-util-to-string';
import type { Nodes } from 'mdast';
import { SKIP, walk } from '../walk.ts';
import { holdsInlineOnly } from './tree.ts';
import { Diagnostics, type Diagnostic } from '../diagnostics.ts';
import type { Interaction, Page, PageType, QuizSettings } from '../model.ts';
import type { Strings } from '../strings.ts';
import { lowerBlocks } from './blocks.ts';
import { pageBody } from './body.ts';
import { resolveLinks } from './links.ts';
import { parseSource } from './source.ts';
import type { YamlCache } from './yaml.ts';
import { checkTitle } from './limits.ts';

export interface PageTask {
  file: string;
  text: string;
  /** `index` is a module's index.md: its front matter names the module, its body (if any) is a page. */
  role: 'page' | 'index';
  /** The page id (from the course structure, so links resolve before any page is parsed). */
  id: string;
  moduleId: string | null;
  /** The file could not be read (reported): other pages may link to it, but it is not compiled. */
  unreadable?: boolean;
}

export interface PageContext {
  courseDir: string;
  /** Page ids by file, relative to the course folder. */
  pageByFile: Record<string, string>;
  /** UI strings of the course language: a module introduction's default title. */
  strings: Strings;
}

export interface PageResult {
  /** null for a module index without a body. */
  page: Page | null;
  /** A module index's first `#` heading: the module title when the front matter has none. */
  heading: string | null;
  interactions: Interaction[];
  diagnostics: Diagnostic[];
  /** Asset files the page uses, relative to the course folder. */
  assets: string[];
  /** Where the front matter sets `id`, to point at a duplicate. */
  idPlace: { line: number; column: number } | null;
}

export function compilePage(task: PageTask, ctx: PageContext, yaml?: YamlCache): PageResult {
  if (task.unreadable) return { page: null, heading: null, interactions: [], diagnostics: [], assets: [], idPlace: null };
  const diagnostics = new Diagnostics();
  const source = parseSource(task.file, task.text, task.role === 'index' ? 'module' : 'frontMatter', diagnostics, yaml);
  const meta = task.role === 'index' ? {} : source.meta;
  const done = (page: Page | null, interactions: Interaction[] = [], assets: string[] = []): PageResult =>
    ({
      page, heading: source.heading, interactions, diagnostics: diagnostics.items, assets,
      idPlace: 'id' in source.meta && source.yaml ? source.yaml.placeOf(['id']) : null,
    });
  if (source.refused) return done(null);
  if (task.role === 'index') checkTitle(source.meta.title, task.file, source.yaml?.placeOf(['title']), 'module', diagnostics);
  if (task.role === 'index' && !source.hasBody) return done(null);

  const id = task.id;
  const type = (meta.type as PageType | undefined) ?? 'lesson';
  const moduleTitle = source.meta.title as string | undefined;
  const title = task.role === 'index'
    ? (source.heading && source.heading !== moduleTitle ? source.heading : ctx.strings['page.introduction'] ?? 'Introduction')
    : ((meta.title as string | undefined) ?? source.heading);
  if (!title) {
    diagnostics.error('missing-title', task.file, undefined, 'The page has no title',
      'Start the page with a `# Title` heading, or set `title:` in its front matter.');
  } else if (task.role === 'page' || title !== moduleTitle) {
    checkTitle(title, task.file, meta.title !== undefined ? source.yaml?.placeOf(['title']) : source.headingPlace ?? undefined, 'page', diagnostics);
  }
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(id)) {
    diagnostics.error('invalid-id', task.file, source.yaml?.placeOf(['id']), `Page id \`${id}\` is not valid`,
      'Set `id:` in the front matter: letters, digits, - and _, starting with a letter.');
  }
  const quizKeys = ['pass', 'attempts', 'shuffle', 'draw'].filter((k) => k in meta);
  if (type !== 'quiz' && quizKeys.length > 0) {
    diagnostics.error('quiz-setting-on-non-quiz', task.file, source.yaml?.placeOf([quizKeys[0]], true),
      `\`${quizKeys[0]}\` applies to quiz pages only`, 'Add `type: quiz`, or remove the setting.');
  }
  if (type === 'quiz' && meta.pass === 0) {
    diagnostics.error('invalid-setting', task.file, source.yaml?.placeOf(['pass']), '`pass: 0` passes every learner, even one with no right answer',
      'Set the pass mark in percent, from 1 to 100, or leave it out for the default 80.');
  }
  const quiz: QuizSettings | null = type === 'quiz'
    ? {
        passMark: (meta.pass as number | undefined) ?? 80,
        attempts: (meta.attempts as number | undefined) ?? 0,
        shuffle: (meta.shuffle as boolean | undefined) ?? false,
        draw: (meta.draw as number | undefined) ?? null,
      }
    : null;

  const lowered = lowerBlocks(source.tree, { file: task.file, pageId: id, pageType: type, source: task.text, diagnostics });
  const questions = lowered.interactions.filter((i) => i.kind === 'question');
  if (quiz && questions.length === 0) {
    diagnostics.error('empty-quiz', task.file, undefined, 'A quiz page has no questions', 'Add `::::question` blocks, or change `type:`.');
  }
  if (quiz?.draw && quiz.draw > questions.length && questions.length > 0) {
    diagnostics.error('invalid-setting', task.file, source.yaml?.placeOf(['draw']),
      `\`draw\` is ${quiz.draw} but the page has only ${questions.length} questions`, 'Draw at most as many questions as the page has.');
  }

  const headings: string[] = title ? [title] : [];
  walk<Nodes>(source.tree, (node) => {
    if (node.type !== 'heading') return holdsInlineOnly(node) ? SKIP : undefined;
    const text = toString(node).trim();
    if (!text) {
      diagnostics.warn('empty-heading', task.file, node.position?.start, 'Empty heading', 'Write the heading text, or remove the line.');
    } else if (node.depth <= 3) headings.push(text);
    return SKIP;
  });

  const assets = new Set<string>();
  resolveLinks(source.tree, {
    courseDir: ctx.courseDir, file: task.file, pageByFile: new Map(Object.entries(ctx.pageByFile)), diagnostics, assets,
  });
  const page: Page = {
    id,
    title: title ?? id,
    type,
    moduleId: task.moduleId,
    duration: source.meta.duration === undefined ? null : String(source.meta.duration),
    required: (meta.required as boolean | undefined) ?? true,
    quiz,
    interactionIds: lowered.interactions.map((i) => i.id),
    prompts: lowered.prompts,
    body: pageBody(source.tree, lowered.blocks),
    headings,
    source: task.file,
  };
  return done(page, lowered.interactions, [...assets].sort());
}
