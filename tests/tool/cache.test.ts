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

const CLI = join(import.meta.dirname, '../../dist/tool/cli.cjs');

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

/** The cache folder of the course: `<coursepack's fingerprint>/<course>/`. */
async function courseCache(): Promise<string> {
  const base = join(project, 'node_modules/.cache/coursepack');
  const [fingerprint] = (await readdir(base)).filter((entry) => entry !== 'code'); // code: launcher.ts
  const [course] = await readdir(join(base, fingerprint!));
  return join(base, fingerprint!, course!);
}

const entries = async () => {
  const dir = await courseCache();
  return {
    pages: await readdir(join(dir, 'pages')),
    rendered: await readdir(join(dir, 'rendered')),
    deflated: await readdir(join(dir, 'deflated')),
  };
};

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'coursepack-cache-'));
  await mkdir(join(project, 'node_modules'));
  await cp(SAMPLE_COURSE, join(project, 'course'), { recursive: true });
  // Every target: the Common Cartridge has memoised steps of its own (and wants three choices).
  const config = join(project, 'course/course.yml');
  await writeFile(config, (await readFile(config, 'utf8')).replace(/^targets: .*$/m, 'targets: [scorm12, scorm2004, xapi, cmi5, web, cc]'));
  const quiz = join(project, 'course/02-assessment/01-quiz.md');
  await writeFile(quiz, (await readFile(quiz, 'utf8')).replace('- [ ] The newest tool\n', '- [ ] The newest tool\n- [ ] The cheapest tool\n'));
});

describe('build cache', () => {
  it('keeps compiled and rendered pages, YAML, deflated files and the build record in node_modules/.cache/coursepack', async () => {
    expect(build()).not.toContain('up to date');
    const dir = await courseCache();
    expect((await readdir(dir)).sort()).toEqual(['build.json', 'deflated', 'pages', 'rendered', 'yaml.json']);
    expect(Object.keys(JSON.parse(await readFile(join(dir, 'yaml.json'), 'utf8'))).length).toBeGreaterThanOrEqual(6);
    expect((await readdir(join(dir, 'rendered'))).length).toBeGreaterThanOrEqual(6);
    expect((await readdir(join(dir, 'pages'))).length).toBeGreaterThanOrEqual(6);
    expect((await readdir(join(dir, 'deflated'))).length).toBeGreaterThanOrEqual(10);
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

  it('a deleted or changed cartridge, or a changed file of the web package, is built again', async () => {
    const cartridge = join(project, 'dist/sample-course-cc.imscc');
    const bytes = await readFile(cartridge);
    await rm(cartridge);
    expect(build()).not.toContain('up to date');
    expect(await readFile(cartridge)).toEqual(bytes);
    await writeFile(cartridge, Buffer.concat([bytes, Buffer.from('x')]));
    expect(build()).not.toContain('up to date');
    expect(await readFile(cartridge)).toEqual(bytes);
    const page = join(project, 'dist/sample-course-web/index.html');
    const html = await readFile(page, 'utf8');
    await writeFile(page, `${html}<!-- changed -->`);
    expect(build()).not.toContain('up to date');
    expect(await readFile(page, 'utf8')).toBe(html);
    expect(build()).toContain('up to date');
  });

  it('after a one-page edit, the cached build equals a cold build with --no-cache', async () => {
    const page = join(project, 'course/01-basics/01-lesson.md');
    const edit = async (from: string, to: string) => {
      await writeFile(page, (await readFile(page, 'utf8')).replace(from, to));
      expect(build()).not.toContain('up to date');
    };
    // A first edit, then the same kind again: a build reads the trees of edited pages only.
    await edit('Read more at', 'Read much more at');
    const before = await entries();
    await edit('Read much more at', 'Read very much more at');
    const cached = await contents(join(project, 'dist'));
    expect([...cached.values()].some((b) => b.includes('Read very much more at'))).toBe(true);
    build('--no-cache', '--out', 'cold');
    expect(await contents(join(project, 'cold'))).toEqual(cached);
    // One build's worth: the edited page's old entries are gone, the others stay.
    const after = await entries();
    expect(after.pages.length).toBe(before.pages.length);
    expect(after.pages.filter((p) => !before.pages.includes(p))).toHaveLength(1);
    expect(after.rendered.length).toBe(before.rendered.length);
    expect(after.rendered.filter((p) => !before.rendered.includes(p)).length).toBeGreaterThan(0);
    expect(after.deflated.length).toBe(before.deflated.length);
    expect(after.deflated.filter((p) => !before.deflated.includes(p)).length).toBeGreaterThan(0);
  });

  // Edits whose effect reaches beyond the edited text: a title (the page's header and its
  // assessments' titles), an answer, the quiz rules, the assistant (every prompt card), a link
  // to a page that is its own assessment (no link in the cartridge), and that page becoming a
  // page again (the link in the cartridge is back).
  it.each([
    ['01-basics/01-lesson.md', 'title: "Lesson 1: Blocks"', 'title: "Lesson 1: All the blocks"'],
    ['01-basics/01-lesson.md', '- [ ] Order-status chatbot\n- [x]', '- [x] Order-status chatbot\n- [ ]'],
    ['02-assessment/01-quiz.md', 'pass: 80\nattempts: 2', 'pass: 70\nattempts: 3'],
    ['course.yml', 'name: Link', 'name: Linka'],
    ['01-basics/01-lesson.md', ':::prompt', 'See [the plan](02-workbook.md).\n\n:::prompt'],
    ['01-basics/02-workbook.md', ':::response{#plan-summary', 'Plan first.\n\nThen write.\n\n:::response{#plan-summary'],
  ])('after an edit of %s, the cached build equals a cold build', async (file, from, to) => {
    const path = join(project, 'course', file);
    const text = await readFile(path, 'utf8');
    const edited = text.replace(from, to);
    expect(edited).not.toBe(text);
    await writeFile(path, edited);
    expect(build()).not.toContain('up to date');
    build('--no-cache', '--out', 'cold');
    expect(await contents(join(project, 'dist'))).toEqual(await contents(join(project, 'cold')));
  });

  it('damaged entries are misses: the build still equals a cold one', async () => {
    const dir = await courseCache();
    const { pages, rendered, deflated } = await entries();
    // Half the pages unreadable, the others cut short in their body.
    for (const [i, name] of pages.entries()) {
      const file = join(dir, 'pages', name);
      const text = await readFile(file, 'utf8');
      await writeFile(file, i % 2 === 0 ? '{"page":' : text.slice(0, -3));
    }
    for (const name of rendered) await writeFile(join(dir, 'rendered', name), '{"html":');
    await writeFile(join(dir, 'yaml.json'), '{"id: ');
    for (const name of deflated) {
      const file = join(dir, 'deflated', name);
      const bytes = await readFile(file);
      await writeFile(file, bytes.subarray(0, Math.max(0, bytes.length - 3)));
    }
    await rm(join(project, 'dist'), { recursive: true });
    expect(build()).not.toContain('up to date');
    expect(await contents(join(project, 'dist'))).toEqual(await contents(join(project, 'cold')));
  });
});
