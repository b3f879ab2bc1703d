/**
 * The build cache as the command line uses it: an unchanged course is not built again, an edited
 * page is, and every cached build is byte-identical to a cold one (`--no-cache`).
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_COURSE } from '../support/course.ts';

const CLI = join(import.meta.dirname, '../../dist/tool/cli.js');

let project: string;
const build = (...args: string[]) => {
  const result = spawnSync(process.execPath, [CLI, 'build', 'course', ...args], { cwd: project, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout;
};

/** Every file of every package in an output folder, by path. */
async function contents(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.set(join(entry.parentPath, entry.name).slice(dir.length), await readFile(join(entry.parentPath, entry.name)));
  }
  return files;
}

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'coursepack-cache-'));
  await mkdir(join(project, 'node_modules'));
  await cp(SAMPLE_COURSE, join(project, 'course'), { recursive: true });
});

describe('build cache', () => {
  it('keeps compiled pages and the build record in node_modules/.cache/coursepack', async () => {
    expect(build()).not.toContain('up to date');
    const [fingerprint] = await readdir(join(project, 'node_modules/.cache/coursepack'));
    expect((await readdir(join(project, 'node_modules/.cache/coursepack', fingerprint!, 'pages'))).length).toBeGreaterThanOrEqual(6);
  });

  it('an unchanged course is up to date and its packages stay byte for byte', async () => {
    const before = await contents(join(project, 'dist'));
    expect(build()).toContain('up to date: the course and coursepack are unchanged since the last build');
    expect(await contents(join(project, 'dist'))).toEqual(before);
  });

  it('a deleted package is built again', async () => {
    await rm(join(project, 'dist/sample-course-scorm12.zip'));
    expect(build()).not.toContain('up to date');
    expect(await readdir(join(project, 'dist'))).toContain('sample-course-scorm12.zip');
  });

  it('after a one-page edit, the cached build equals a cold build with --no-cache', async () => {
    const page = join(project, 'course/01-basics/01-lesson.md');
    await writeFile(page, (await readFile(page, 'utf8')).replace('Read more at', 'Read much more at'));
    expect(build()).not.toContain('up to date');
    const cached = await contents(join(project, 'dist'));
    expect([...cached.values()].some((b) => b.includes('Read much more at'))).toBe(true);
    build('--no-cache', '--out', 'cold');
    expect(await contents(join(project, 'cold'))).toEqual(cached);
  });
});
