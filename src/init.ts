/**
 * `coursepack init [dir]`: a small working course that shows every block once, copied from
 * `src/init/starter/`. It never writes into a folder that holds anything.
 */
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { own } from './paths.ts';

export type InitResult = { ok: true; files: string[] } | { ok: false; message: string; hint: string };

export async function initCourse(dir: string): Promise<InitResult> {
  const existing = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (existing.length > 0) {
    return {
      ok: false,
      message: `${dir} is not empty: init writes only into a new or empty folder`,
      hint: 'name a new folder, e.g. `coursepack init my-course`',
    };
  }
  await mkdir(dir, { recursive: true });
  await cp(own('src', 'init', 'starter'), dir, { recursive: true });
  const slug = slugOf(dir);
  const config = join(dir, 'course.yml');
  const template = await readFile(config, 'utf8');
  await writeFile(config, template
    .replaceAll('{{schema}}', schemaReference(dir))
    .replaceAll('{{slug}}', slug)
    .replaceAll('{{title}}', titleOf(slug)));
  return { ok: true, files: (await readdir(dir, { recursive: true })).map((f) => f.split(sep).join('/')).sort() };
}

/** The packaged JSON Schema of course.yml, relative to the new course, for editors. */
function schemaReference(dir: string): string {
  return relative(dir, own('dist', 'tool', 'course.schema.json')).split(sep).join('/');
}

function slugOf(dir: string): string {
  const slug = basename(dir).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return /^[a-z0-9]/.test(slug) ? slug : 'my-course';
}

function titleOf(slug: string): string {
  const words = slug.split('-').filter(Boolean).join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
