/**
 * The shape of a course folder, found without parsing any Markdown: the overview, the module
 * folders in name order and their pages, with the ids their front matter gives (or their file
 * names imply). Knowing every page id up front lets each page compile on its own.
 */
import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface SourceEntry {
  /** Relative to the course folder, `/`-separated. */
  file: string;
  text: string;
  /** The id the page will have: front matter `id`, else derived from the file name. */
  id: string;
  /** Front matter `title`, if any (module titles come from here). */
  title: string | null;
}

export interface ModuleEntry {
  folder: string;
  id: string;
  title: string;
  index: SourceEntry | null;
  pages: SourceEntry[];
}

export interface CourseStructure {
  overview: SourceEntry | null;
  modules: ModuleEntry[];
}

export const INDEX = 'index.md';
const NUMBER_PREFIX = /^\d+[-_.\s]*/;
const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\s*(\r?\n|$)/;

/** `id` and `title` of a front matter, or nothing when it is missing or broken (compile reports that). */
function quickFrontMatter(text: string): { id?: unknown; title?: unknown } {
  const block = FRONT_MATTER.exec(text)?.[1];
  if (!block) return {};
  try {
    const data = parse(block);
    return data && typeof data === 'object' ? data : {};
  } catch {
    return {};
  }
}

async function entry(courseDir: string, file: string, defaultId: string): Promise<SourceEntry> {
  const text = await readFile(join(courseDir, file), 'utf8');
  const meta = quickFrontMatter(text);
  return {
    file,
    text,
    id: typeof meta.id === 'string' ? meta.id : defaultId,
    title: typeof meta.title === 'string' ? meta.title : null,
  };
}

export async function readStructure(courseDir: string): Promise<CourseStructure> {
  const overview = existsSync(join(courseDir, INDEX)) ? await entry(courseDir, INDEX, 'overview') : null;
  const folders = (await readdir(courseDir, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('_'))
    .map((e) => e.name)
    .sort();
  const modules: ModuleEntry[] = [];
  for (const folder of folders) {
    const files = (await readdir(join(courseDir, folder))).filter((f) => f.endsWith('.md')).sort();
    if (files.length === 0) continue; // an asset folder
    const fallbackId = folder.replace(NUMBER_PREFIX, '');
    const index = files.includes(INDEX) ? await entry(courseDir, `${folder}/${INDEX}`, fallbackId) : null;
    const id = index?.id ?? fallbackId;
    const pages = await Promise.all(files.filter((f) => f !== INDEX).map((f) =>
      entry(courseDir, `${folder}/${f}`, f.replace(/\.md$/, '').replace(NUMBER_PREFIX, ''))));
    modules.push({ folder, id, title: index?.title ?? id, index, pages });
  }
  return { overview, modules };
}

/** The id of a module's introduction page: the module's own id names the module. */
export const introductionId = (moduleId: string) => `${moduleId}-introduction`;
