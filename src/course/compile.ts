/**
 * Compiles a course folder into the course model: reads course.yml and every Markdown file, lowers
 * the interactive blocks, resolves links and images, checks ids and rules across the whole course,
 * and renders each page body. Reports every problem it finds; never stops at the first.
 */
import { readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Heading } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { Diagnostics } from '../diagnostics.ts';
import type { CompiledCourse, Course, Interaction, Module, Page, PageType, QuizSettings, SourcePlace } from '../model.ts';
import { loadConfig, CONFIG_FILE } from './config.ts';
import { readSource, type SourceFile } from './source.ts';
import { frontMatterSchema, moduleSchema } from './schema.ts';
import { lowerBlocks, type BlockMap } from './blocks.ts';
import { resolveLinks } from './links.ts';
import { renderBody, type BodyOptions } from '../render/body.ts';
import { loadTheme, themeExists } from '../render/theme.ts';

export interface CompileResult {
  compiled: CompiledCourse | null;
  diagnostics: Diagnostics;
}

interface PageDraft {
  page: Page;
  source: SourceFile;
  blocks: BlockMap;
}

const INDEX = 'index.md';
const NUMBER_PREFIX = /^\d+[-_.\s]*/;

export async function compileCourse(courseDir: string): Promise<CompileResult> {
  const diagnostics = new Diagnostics();
  const config = await loadConfig(courseDir, diagnostics);
  const drafts: PageDraft[] = [];
  const modules: Module[] = [];

  if (existsSync(join(courseDir, INDEX))) {
    const source = await readSource(courseDir, INDEX, frontMatterSchema, diagnostics);
    drafts.push(draftPage(source, null, 'overview', diagnostics));
  }

  const entries = (await readdir(courseDir, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('_'))
    .map((e) => e.name)
    .sort();
  for (const folder of entries) {
    const files = (await readdir(join(courseDir, folder))).filter((f) => f.endsWith('.md')).sort();
    if (files.length === 0) continue; // an asset folder
    const module = await readModule(courseDir, folder, files, modules.length + 1, diagnostics);
    modules.push(module.module);
    drafts.push(...module.drafts);
  }
  if (modules.length === 0 && config) {
    diagnostics.error('no-modules', CONFIG_FILE, undefined, 'The course has no modules',
      'Add a module: a folder such as `01-introduction/` with an `index.md` and at least one page.');
  }

  const interactions = collectInteractions(drafts, diagnostics);
  checkUniquePages(drafts, modules, diagnostics);

  const pageByFile = new Map(drafts.map((d) => [d.source.file, d.page.id]));
  const assets = new Set<string>();
  for (const draft of drafts) {
    resolveLinks(draft.source.tree, { courseDir, file: draft.source.file, pageByFile, diagnostics, assets });
  }
  if (!config) return { compiled: null, diagnostics };
  if (!themeExists(config.settings.theme)) {
    diagnostics.error('unknown-theme', CONFIG_FILE, config.yaml.placeOf(['theme']), `No theme \`${config.settings.theme}\``,
      'Use `theme: default`, or add a theme folder under themes/.');
    return { compiled: null, diagnostics };
  }

  const course: Course = { ...config.settings, modules, pages: drafts.map((d) => d.page) };
  checkRules(course, interactions, config.yaml.placeOf, diagnostics);

  const options: BodyOptions = { assistant: course.assistant, strings: (await loadTheme(course.theme, course.language)).strings };
  for (const draft of drafts) draft.page.html = renderBody(draft.source.tree, draft.blocks, options);

  if (diagnostics.hasErrors) return { compiled: null, diagnostics };
  return { compiled: { course, interactions, assets: [...assets].sort() }, diagnostics };
}

async function readModule(courseDir: string, folder: string, files: string[], number: number, diagnostics: Diagnostics) {
  const indexFile = `${folder}/${INDEX}`;
  let id = folder.replace(NUMBER_PREFIX, '');
  let title = id;
  const drafts: PageDraft[] = [];
  if (files.includes(INDEX)) {
    const index = await readSource(courseDir, indexFile, moduleSchema, diagnostics);
    id = (index.meta.id as string | undefined) ?? id;
    title = (index.meta.title as string | undefined) ?? index.heading ?? id;
    if (index.hasBody) {
      // The index's `id` names the module; its introduction page gets an id of its own.
      const draft = draftPage({ ...index, meta: { ...index.meta, id: `${id}-introduction` } }, id, `${id}-introduction`, diagnostics);
      draft.page.title = index.heading && index.heading !== title ? index.heading : 'Introduction';
      draft.page.duration = index.meta.duration === undefined ? null : String(index.meta.duration);
      drafts.push(draft);
    }
  } else {
    diagnostics.error('missing-module-index', `${folder}/${files[0]}`, undefined, `Module folder \`${folder}\` has no index.md`,
      `Create ${indexFile} with front matter \`id:\` and \`title:\` for the module.`);
  }
  for (const file of files.filter((f) => f !== INDEX)) {
    const source = await readSource(courseDir, `${folder}/${file}`, frontMatterSchema, diagnostics);
    drafts.push(draftPage(source, id, file.replace(/\.md$/, '').replace(NUMBER_PREFIX, ''), diagnostics));
  }
  if (drafts.length === 0) {
    diagnostics.error('empty-module', indexFile, undefined, `Module \`${title}\` has no pages`,
      'Add at least one page (a .md file) to the module folder, or write its introduction in index.md.');
  }
  const module: Module = { id, title, number, pageIds: drafts.map((d) => d.page.id), source: indexFile };
  return { module, drafts };
}

function draftPage(source: SourceFile, moduleId: string | null, defaultId: string, diagnostics: Diagnostics): PageDraft {
  const meta = source.meta;
  const id = (meta.id as string | undefined) ?? defaultId;
  const type = (meta.type as PageType | undefined) ?? 'lesson';
  const title = (meta.title as string | undefined) ?? source.heading;
  if (!title) {
    diagnostics.error('missing-title', source.file, undefined, 'The page has no title',
      'Start the page with a `# Title` heading, or set `title:` in its front matter.');
  }
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(id)) {
    diagnostics.error('invalid-id', source.file, source.yaml?.placeOf(['id']), `Page id \`${id}\` is not valid`,
      'Set `id:` in the front matter: letters, digits, - and _, starting with a letter.');
  }
  const quizKeys = ['pass', 'attempts', 'shuffle', 'draw'].filter((k) => k in meta);
  if (type !== 'quiz' && quizKeys.length > 0) {
    diagnostics.error('quiz-setting-on-non-quiz', source.file, source.yaml?.placeOf([quizKeys[0]], true),
      `\`${quizKeys[0]}\` applies to quiz pages only`, 'Add `type: quiz`, or remove the setting.');
  }
  const quiz: QuizSettings | null = type === 'quiz'
    ? {
        passMark: (meta.pass as number | undefined) ?? 80,
        attempts: (meta.attempts as number | undefined) ?? 0,
        shuffle: (meta.shuffle as boolean | undefined) ?? false,
        draw: (meta.draw as number | undefined) ?? null,
      }
    : null;
  const lowered = lowerBlocks(source.tree, { file: source.file, pageId: id, pageType: type, source: source.text, diagnostics });
  const questions = lowered.interactions.filter((i) => i.kind === 'question');
  if (quiz && questions.length === 0) {
    diagnostics.error('empty-quiz', source.file, undefined, 'A quiz page has no questions', 'Add `::::question` blocks, or change `type:`.');
  }
  if (quiz?.draw && quiz.draw > questions.length && questions.length > 0) {
    diagnostics.error('invalid-setting', source.file, source.yaml?.placeOf(['draw']),
      `\`draw\` is ${quiz.draw} but the page has only ${questions.length} questions`, 'Draw at most as many questions as the page has.');
  }
  const headings: string[] = title ? [title] : [];
  visit(source.tree, 'heading', (node: Heading) => {
    const text = toString(node).trim();
    if (!text) {
      diagnostics.warn('empty-heading', source.file, node.position?.start, 'Empty heading', 'Write the heading text, or remove the line.');
    } else if (node.depth <= 3) headings.push(text);
  });
  const page: Page = {
    id,
    title: title ?? id,
    type,
    moduleId,
    duration: meta.duration === undefined ? null : String(meta.duration),
    required: (meta.required as boolean | undefined) ?? true,
    quiz,
    interactionIds: lowered.interactions.map((i) => i.id),
    prompts: lowered.prompts,
    html: '',
    headings,
    source: source.file,
  };
  return { page, source, blocks: lowered.blocks };
}

function where(place: SourcePlace): string {
  return `${place.file}:${place.line}:${place.column}`;
}

function collectInteractions(drafts: PageDraft[], diagnostics: Diagnostics): Map<string, Interaction> {
  const all = new Map<string, Interaction>();
  for (const draft of drafts) {
    for (const block of draft.blocks.values()) {
      if (!('interaction' in block)) continue;
      const interaction = block.interaction;
      const first = all.get(interaction.id);
      if (first) {
        diagnostics.error('duplicate-id', interaction.source.file, interaction.source,
          `Duplicate id \`${interaction.id}\``, `First used at ${where(first.source)}; every block id must be unique in the course.`);
        continue;
      }
      all.set(interaction.id, interaction);
    }
  }
  return all;
}

function checkUniquePages(drafts: PageDraft[], modules: Module[], diagnostics: Diagnostics): void {
  const seen = new Map<string, string>();
  for (const { page, source } of drafts) {
    const first = seen.get(page.id);
    if (first) {
      diagnostics.error('duplicate-id', page.source, source.yaml?.placeOf(['id']), `Duplicate page id \`${page.id}\``,
        `Also used by ${first}; give each page its own \`id:\` in the front matter.`);
    } else seen.set(page.id, page.source);
  }
  const moduleIds = new Map<string, string>();
  for (const module of modules) {
    const first = moduleIds.get(module.id);
    if (first) {
      diagnostics.error('duplicate-id', module.source, undefined, `Duplicate module id \`${module.id}\``,
        `Also used by ${first}; set a distinct \`id:\` in the module's index.md.`);
    } else moduleIds.set(module.id, module.source);
  }
}

function checkRules(
  course: Course,
  interactions: Map<string, Interaction>,
  placeOf: (path: (string | number)[]) => { line: number; column: number },
  diagnostics: Diagnostics,
): void {
  course.completion.responses.forEach((id, i) => {
    const interaction = interactions.get(id);
    if (!interaction || interaction.kind !== 'response') {
      diagnostics.error('unknown-reference', CONFIG_FILE, placeOf(['completion', 'responses', i]),
        `completion.responses names \`${id}\`, which is not a response block`, 'List the ids of `:::response{#id}` blocks.');
    }
  });
  if (course.scoring) {
    const quiz = course.pages.find((p) => p.id === course.scoring?.quiz);
    if (!quiz?.quiz) {
      diagnostics.error('unknown-reference', CONFIG_FILE, placeOf(['scoring', 'quiz']),
        `scoring.quiz names \`${course.scoring.quiz}\`, which is not a quiz page`, 'Name the `id` of a page with `type: quiz`.');
    } else if (Number.isNaN(course.scoring.mastery)) {
      course.scoring.mastery = quiz.quiz.passMark / 100;
    } else if (Math.round(course.scoring.mastery * 100) !== quiz.quiz.passMark) {
      // One pass mark: the learner must never see "passed" on the quiz and "failed" in the LMS.
      diagnostics.error('mastery-mismatch', CONFIG_FILE, placeOf(['scoring', 'mastery']),
        `scoring.mastery is ${Math.round(course.scoring.mastery * 100)} but the pass mark of \`${quiz.id}\` is ${quiz.quiz.passMark}`,
        'Make them equal, or leave out scoring.mastery: the quiz\'s pass mark is then the course\'s.');
    }
  }
}
