/**
 * The shape of a course folder, found without parsing any Markdown: the overview, the module
 * folders in name order and their pages, with the ids their front matter gives (or their file
 * names imply). Knowing every page id up front lets each page compile on its own.
 */
import { readdir } from 'node:fs/promises';
import { existsSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostics } from '../diagnostics.ts';
import { readSourceText, realInside } from './read.ts';
import { yamlData, type YamlCache } from './yaml.ts';

export interface SourceEntry {
  /** Relative to the course folder, `/`-separated. */
  file: string;
  text: string;
  /** The id the page will have: front matter `id`, else derived from the file name. */
  id: string;
  /** The id comes from the file name: the front matter has none. */
  idFromName: boolean;
  /** Front matter `title`, if any (module titles come from here). */
  title: string | null;
  /** The file could not be read (reported): it is left out of the course. */
  unreadable?: boolean;
}

export interface ModuleEntry {
  folder: string;
  id: string;
  /** The id comes from the folder's name (no `id:` in its index.md). */
  idFromFolder: boolean;
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
function quickFrontMatter(text: string, yaml?: YamlCache): { id?: unknown; title?: unknown } {
  const block = FRONT_MATTER.exec(text)?.[1];
  return (block && yamlData(block, yaml)) || {};
}

async function entry(
  courseDir: string, file: string, defaultId: string, diagnostics: Diagnostics, yaml?: YamlCache,
): Promise<SourceEntry> {
  const text = await readSourceText(courseDir, file, diagnostics);
  const meta = text === null ? {} : quickFrontMatter(text, yaml);
  return {
    file,
    text: text ?? '',
    id: typeof meta.id === 'string' ? meta.id : defaultId,
    idFromName: typeof meta.id !== 'string',
    title: typeof meta.title === 'string' ? meta.title : null,
    ...(text === null ? { unreadable: true } : {}),
  };
}

/** Whether a folder entry is a folder, following a symbolic link only when it stays inside the course. */
function isFolder(courseDir: string, path: string, dirent: Dirent, diagnostics: Diagnostics): boolean {
  if (dirent.isDirectory()) return true;
  if (!dirent.isSymbolicLink()) return false;
  const real = realInside(courseDir, path);
  if (!real) {
    diagnostics.error('outside-course', path, undefined, `\`${path}\` is a link to a folder outside the course folder`,
      'Only files inside the course folder are read and packaged; move the folder into the course.');
    return false;
  }
  return statSync(real).isDirectory();
}

export async function readStructure(courseDir: string, diagnostics: Diagnostics, yaml?: YamlCache): Promise<CourseStructure> {
  const overview = existsSync(join(courseDir, INDEX)) ? await entry(courseDir, INDEX, 'overview', diagnostics, yaml) : null;
  const folders = (await readdir(courseDir, { withFileTypes: true }))
    .filter((e) => !e.name.startsWith('.') && !e.name.startsWith('_') && isFolder(courseDir, e.name, e, diagnostics))
    .map((e) => e.name)
    .sort();
  const modules: ModuleEntry[] = [];
  for (const folder of folders) {
    const files = (await readdir(join(courseDir, folder))).filter((f) => f.endsWith('.md')).sort();
    if (files.length === 0) continue; // an asset folder
    const fallbackId = folder.replace(NUMBER_PREFIX, '');
    const index = files.includes(INDEX) ? await entry(courseDir, `${folder}/${INDEX}`, fallbackId, diagnostics, yaml) : null;
    const id = index?.id ?? fallbackId;
    const pages = await Promise.all(files.filter((f) => f !== INDEX).map((f) =>
      entry(courseDir, `${folder}/${f}`, f.replace(/\.md$/, '').replace(NUMBER_PREFIX, ''), diagnostics, yaml)));
    modules.push({ folder, id, idFromFolder: index?.idFromName ?? true, title: index?.title ?? id, index, pages });
  }
  return { overview, modules };
}

/** The id of a module's introduction page: the module's own id names the module. */
export const introductionId = (moduleId: string) => `${moduleId}-introduction`;
