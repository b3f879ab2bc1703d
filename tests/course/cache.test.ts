/** Rebuilding with a page cache compiles only what changed, and never serves a stale result. */
import { readFile, writeFile, copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import { compileCourse, type PageCache } from '../../src/compile/compile.ts';
import { sampleCourseWith } from '../support/course.ts';
import { pageHtml } from '../support/page-html.ts';
import { RecentMap } from '../../src/memo.ts';

describe('page cache', () => {
  it('recompiles only the changed page and gives the same model as a fresh compile', async () => {
    const dir = await sampleCourseWith();
    const cache: PageCache = new Map();
    const first = await compileCourse(dir, { cache });
    const pages = first.compiled!.course.pages.length;
    expect(cache.size).toBe(pages + 1); // every page, and the module index without a body

    const file = join(dir, '01-basics/01-lesson.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace('Read more at', 'Read much more at'));
    const second = await compileCourse(dir, { cache });
    expect(cache.size).toBe(pages + 2);
    const fresh = await compileCourse(dir);
    // The same model, but for the keys of cached pages (what the page was compiled from).
    const cachedPages = second.compiled!.course.pages;
    expect(cachedPages.every((p) => typeof p.key === 'string' && p.key.length === 64)).toBe(true);
    const withoutKeys = { ...second.compiled!.course, pages: cachedPages.map(({ key: _key, ...page }) => page) };
    expect(withoutKeys).toEqual(fresh.compiled!.course);
    expect(pageHtml(second.compiled!, second.compiled!.course.pages.find((p) => p.id === 'lesson-one')!)).toContain('Read much more at');
  });

  it('a page whose image was missing is checked again once the image exists', async () => {
    const dir = await sampleCourseWith({ '01-basics/01-lesson.md': '---\nid: lesson-one\n---\n# L\n\n![A chart](images/chart.svg)\n' });
    const cache: PageCache = new Map();
    const broken = await compileCourse(dir, { cache });
    expect(broken.diagnostics.errors.map((d) => d.rule)).toEqual(['missing-asset']);
    await copyFile(join(dir, '01-basics/images/funnel.svg'), join(dir, '01-basics/images/chart.svg'));
    const fixed = await compileCourse(dir, { cache });
    expect(fixed.diagnostics.errors).toEqual([]);
    expect(fixed.compiled!.assets).toContain('01-basics/images/chart.svg');
  });

  it('two cached builds in one process keep every entry the second one used', async () => {
    const dir = await sampleCourseWith();
    await mkdir(join(dir, '../node_modules'));
    const deflated = async () => {
      const base = join(dir, '../node_modules/.cache/coursepack');
      const [fingerprint] = await readdir(base);
      const [course] = await readdir(join(base, fingerprint!));
      return readdir(join(base, fingerprint!, course!, 'deflated'));
    };
    const options = { courseDir: dir, outDir: join(dir, '../dist'), cache: true, targets: ['scorm12' as const] };
    await build(options);
    const first = await deflated();
    const file = join(dir, '01-basics/01-lesson.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace('Read more at', 'Read much more at'));
    await build(options);
    const second = await deflated();
    // Only the edited page's fragment (and what shows it) changed: the rest stays in the cache.
    expect(second.filter((name) => first.includes(name)).length).toBeGreaterThan(first.length - 5);
  });

  it('YAML read before gives the same data, and problems at the same places, without parsing it again', async () => {
    // Valid YAML that the schema refuses: reported at the key, which only a parse can find.
    const lesson = '---\nid: lesson-one\ntitle: Lesson 1\nduration: 10 mins\ncolour: blue\n---\n# Lesson 1\n\nRead more at [a site](https://example.com).\n';
    const dir = await sampleCourseWith({ '01-basics/01-lesson.md': lesson });
    const yaml = new Map<string, Record<string, unknown>>();
    const cold = await compileCourse(dir, { yaml });
    // course.yml and every front matter that reads as a map of settings, this one included.
    const front = 'id: lesson-one\ntitle: Lesson 1\nduration: 10 mins\ncolour: blue';
    expect([...yaml.keys()]).toContain(front);
    expect(yaml.size).toBeGreaterThan(5);
    yaml.set(front, { ...yaml.get(front), seen: 'from the cache' });

    const warm = await compileCourse(dir, { yaml });
    const problem = (result: typeof cold, key: string) =>
      result.diagnostics.items.find((d) => d.rule === 'unknown-key' && d.message.includes(key));
    expect(problem(cold, 'colour')).toMatchObject({ file: '01-basics/01-lesson.md', line: 5, column: 1 });
    expect(problem(warm, 'colour')).toEqual(problem(cold, 'colour'));
    // The data came from the cache: its extra key is reported, at the start of the front matter.
    expect(problem(cold, 'seen')).toBeUndefined();
    expect(problem(warm, 'seen')).toMatchObject({ file: '01-basics/01-lesson.md', line: 2, column: 1 });
  });
});

describe('RecentMap (the preview\'s caches)', () => {
  it('keeps what the last build read or wrote, and drops the rest', () => {
    const map = new RecentMap<string, number>();
    map.nextBuild();
    map.set('a', 1);
    map.set('b', 2);
    map.nextBuild();
    expect(map.get('a')).toBe(1); // read in this build: kept
    map.set('c', 3);
    map.nextBuild();
    expect(map.get('a')).toBe(1);
    expect(map.get('b')).toBeUndefined(); // unused for a whole build: gone
    expect(map.get('c')).toBe(3);
    map.nextBuild();
    map.nextBuild();
    expect(map.get('a')).toBeUndefined();
    expect(map.size).toBe(0);
  });
});
