/**
 * Compiles a course folder into the course model: reads course.yml, finds the course's shape and
 * every page id, compiles each page on its own (from a cache when its source is unchanged), then
 * checks ids and rules across the whole course. Reports every problem; never stops at the first.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Diagnostics } from '../diagnostics.ts';
import { contentHash } from '../memo.ts';
import type { CompiledCourse, Course, Interaction, Module } from '../model.ts';
import { loadConfig, CONFIG_FILE, type CourseSettings } from './config.ts';
import { compilePage, type PageContext, type PageResult, type PageTask } from './page.ts';
import { introductionId, readStructure, type CourseStructure, type SourceEntry } from './structure.ts';
import { loadShellIds, readStrings, themeExists, themeFileOutside } from '../themes.ts';
import { checkElementIds, checkModuleIds, checkUniquePages, collectInteractions } from './ids.ts';
import { checkCartridgeChoices, checkLmsIds } from './lms-ids.ts';
import type { YamlCache } from './yaml.ts';

export interface CompileResult {
  compiled: CompiledCourse | null;
  diagnostics: Diagnostics;
}

/** Compiled pages by a hash of everything they depend on; keep one across rebuilds (preview). */
export type PageCache = Map<string, PageResult>;

export interface CompileOptions {
  cache?: PageCache;
  /** YAML read before (course.yml and front matter): its data without parsing it again. One per build without it. */
  yaml?: YamlCache;
}

export async function compileCourse(courseDir: string, options: CompileOptions = {}): Promise<CompileResult> {
  const diagnostics = new Diagnostics();
  if (!existsSync(courseDir) || !statSync(courseDir).isDirectory()) {
    diagnostics.error('missing-course', '', undefined, `No course folder \`${basename(courseDir)}\``,
      'Give the folder that holds course.yml, e.g. `coursepack build course`.');
    return { compiled: null, diagnostics };
  }
  // Shared by the course's shape and the pages: each front matter is parsed once.
  const yaml = options.yaml ?? new Map();
  const [config, structure] = await Promise.all([loadConfig(courseDir, diagnostics, yaml), readStructure(courseDir, diagnostics, yaml)]);
  const settings = config?.settings;
  if (settings && !themeExists(settings.theme)) {
    diagnostics.error('unknown-theme', CONFIG_FILE, config.yaml.placeOf(['theme']), `No theme \`${settings.theme}\``,
      'Use `theme: default`, or add a theme folder under themes/.');
    return { compiled: null, diagnostics };
  }
  const outside = themeFileOutside(settings?.theme ?? 'default');
  if (outside) {
    diagnostics.error('outside-course', CONFIG_FILE, config?.yaml.placeOf(['theme']), `Theme file \`${outside}\` links outside its theme folder`,
      'A theme\'s files must lie inside its folder under themes/; replace the link with the file.');
    return { compiled: null, diagnostics };
  }
  // Without a valid course.yml the pages are still checked, with the default theme's strings.
  const themeName = settings?.theme ?? 'default';
  const strings = readStrings(themeName, settings?.language ?? 'en');
  const shellIds = await loadShellIds(themeName);
  const tasks = pageTasks(structure);
  const context: PageContext = {
    courseDir,
    pageByFile: Object.fromEntries(tasks.map((t) => [t.file, t.id])),
    strings,
  };
  // The context is the same for every page: hashed once for all their keys.
  const cache = options.cache && { pages: options.cache, contextKey: contentHash(context) };
  const results = tasks.map((task) => cachedCompile(task, context, cache, yaml));
  for (const result of results) diagnostics.items.push(...result.diagnostics);

  const modules = structure.modules.map((entry, i): Module => {
    const index = results[tasks.findIndex((t) => t.role === 'index' && t.moduleId === entry.id)];
    return {
      id: entry.id,
      title: entry.title !== entry.id ? entry.title : (index?.heading ?? entry.id),
      number: i + 1,
      pageIds: results.flatMap((r, j) => (tasks[j].moduleId === entry.id && r.page ? [r.page.id] : [])),
      source: entry.index?.file ?? `${entry.folder}/`,
    };
  });
  checkStructure(structure, modules, diagnostics, !!config);
  const pages = results.flatMap((r) => (r.page ? [r.page] : []));
  const interactions = collectInteractions(results, diagnostics);
  checkLmsIds(interactions, diagnostics);
  if (settings?.targets.includes('cc')) checkCartridgeChoices(interactions, diagnostics);
  checkUniquePages(results, diagnostics);
  checkElementIds(shellIds, modules, interactions.values(), diagnostics);
  if (!config || !settings) return { compiled: null, diagnostics };

  const course: Course = { ...settings, modules, pages };
  checkRules(course, settings, interactions, config.yaml.placeOf, diagnostics);
  if (diagnostics.hasErrors) return { compiled: null, diagnostics };
  const assets = [...new Set(results.flatMap((r) => r.assets))].sort();
  return { compiled: { course, interactions, assets }, diagnostics };
}

function pageTasks(structure: CourseStructure): PageTask[] {
  const tasks: PageTask[] = [];
  const unreadable = (entry: SourceEntry) => (entry.unreadable ? { unreadable: true } : {});
  if (structure.overview) {
    tasks.push({ file: structure.overview.file, text: structure.overview.text, role: 'page', id: structure.overview.id, moduleId: null, ...unreadable(structure.overview) });
  }
  for (const module of structure.modules) {
    if (module.index) {
      tasks.push({ file: module.index.file, text: module.index.text, role: 'index', id: introductionId(module.id), moduleId: module.id, ...unreadable(module.index) });
    }
    for (const page of module.pages) {
      tasks.push({ file: page.file, text: page.text, role: 'page', id: page.id, moduleId: module.id, ...unreadable(page) });
    }
  }
  return tasks;
}

/**
 * A page's result depends on its text, its place in the course, the ids of all pages (links) and
 * the theme's strings; assets it refers to are checked again on every hit.
 */
function cachedCompile(
  task: PageTask, context: PageContext, cache: { pages: PageCache; contextKey: string } | undefined, yaml: YamlCache,
): PageResult {
  if (!cache) return compilePage(task, context, yaml);
  const key = pageKey(task, cache.contextKey);
  const hit = cache.pages.get(key);
  if (hit && hit.assets.every((a) => existsSync(join(context.courseDir, a))) && !hit.diagnostics.some((d) => d.rule === 'missing-asset')) {
    return hit;
  }
  const result = compilePage(task, context, yaml);
  if (result.page) result.page.key = key;
  cache.pages.set(key, result);
  return result;
}

/** The task and the shared context, then the page's text as it is (not escaped into JSON: it is most of the bytes). */
function pageKey({ text, ...task }: PageTask, contextKey: string): string {
  return createHash('sha256').update(JSON.stringify([task, contextKey])).update('\0').update(text).digest('hex');
}

function checkStructure(structure: CourseStructure, modules: Module[], diagnostics: Diagnostics, hasConfig: boolean): void {
  if (modules.length === 0 && hasConfig) {
    diagnostics.error('no-modules', CONFIG_FILE, undefined, 'The course has no modules',
      'Add a module: a folder such as `01-introduction/` with an `index.md` and at least one page.');
  }
  structure.modules.forEach((entry, i) => {
    if (!entry.index) {
      diagnostics.error('missing-module-index', entry.pages[0].file, undefined, `Module folder \`${entry.folder}\` has no index.md`,
        `Create ${entry.folder}/index.md with front matter \`id:\` and \`title:\` for the module.`);
    }
    // A page that could not be read or compiled is reported already: the module is not empty.
    const reported = diagnostics.errors.some((d) => d.file.startsWith(`${entry.folder}/`));
    if (modules[i].pageIds.length === 0 && !reported) {
      diagnostics.error('empty-module', modules[i].source, undefined, `Module \`${modules[i].title}\` has no pages`,
        'Add at least one page (a .md file) to the module folder, or write its introduction in index.md.');
    }
  });
  checkModuleIds(structure.modules, modules, diagnostics);
}

function checkRules(
  course: Course,
  settings: CourseSettings,
  interactions: Map<string, Interaction>,
  placeOf: (path: (string | number)[]) => { line: number; column: number },
  diagnostics: Diagnostics,
): void {
  settings.completion.responses.forEach((id, i) => {
    const interaction = interactions.get(id);
    if (!interaction || interaction.kind !== 'response') {
      diagnostics.error('unknown-reference', CONFIG_FILE, placeOf(['completion', 'responses', i]),
        `completion.responses names \`${id}\`, which is not a response block`, 'List the ids of `:::response{#id}` blocks.');
    }
  });
  const scoring = course.scoring;
  if (!scoring) return;
  const quiz = course.pages.find((p) => p.id === scoring.quiz);
  if (!quiz?.quiz) {
    diagnostics.error('unknown-reference', CONFIG_FILE, placeOf(['scoring', 'quiz']),
      `scoring.quiz names \`${scoring.quiz}\`, which is not a quiz page`, 'Name the `id` of a page with `type: quiz`.');
  } else if (Number.isNaN(scoring.mastery)) {
    course.scoring = { ...scoring, mastery: quiz.quiz.passMark / 100 };
  } else if (Math.round(scoring.mastery * 100) !== quiz.quiz.passMark) {
    // One pass mark: the learner must never see "passed" on the quiz and "failed" in the LMS.
    diagnostics.error('mastery-mismatch', CONFIG_FILE, placeOf(['scoring', 'mastery']),
      `scoring.mastery is ${Math.round(scoring.mastery * 100)} but the pass mark of \`${quiz.id}\` is ${quiz.quiz.passMark}`,
      'Make them equal, or leave out scoring.mastery: the quiz\'s pass mark is then the course\'s.');
  }
}
