/**
 * A course that links an SVG and an HTML file carrying script, played in the LMS host on
 * scorm-again in headless Chromium: the HTML link is refused at build time (so the file is never
 * packaged), the SVG is packaged rebuilt, and nothing executes, neither in the page nor when the
 * learner opens the packaged files on their own in the LMS's origin.
 * Every payload reports itself by requesting `/pwned/<vector>` from the same origin and setting a
 * flag on the LMS window; the test asserts no such request, no flag and no dialog.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileCourse } from '../../src/compile/compile.ts';
import { sampleCourseWith } from '../support/course.ts';
import {
  buildCourse, chromiumAvailable, launchBrowser, openLms, startStaticServer, waitForPlayer,
  type Browser, type BuiltCourse, type LmsHost, type StaticServer,
} from '../support/browser/index.ts';

const report = (vector: string) => `fetch('/pwned/${vector}');top.pwned='${vector}';alert('${vector}')`;

const SVG = [
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 20" onload="${report('svg-onload')}">`,
  `<script>${report('svg-script')}</script>`,
  `<foreignObject width="20" height="20"><body xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="${report('svg-foreign')}"/></body></foreignObject>`,
  `<a href="javascript:${report('svg-link')}"><rect width="20" height="20" fill="#0b5cad"/></a>`,
  '<circle cx="10" cy="10" r="5" fill="#d33"/>',
  '</svg>',
].join('\n');

const HTML = `<!doctype html><title>x</title><script>${report('html')}</script>`;

const page = (extra: string) => [
  '---', 'id: lesson-one', 'title: "Lesson 1: Blocks"', '---', '# Lesson 1: Blocks', '',
  '![A red dot](images/payload.svg)', '',
  '[Open the drawing](images/payload.svg)', '',
  `<img src="x" onerror="${report('raw-html')}">`, '',
  `<script>${report('raw-script')}</script>`, '',
  extra, '',
].join('\n');

describe.skipIf(!chromiumAvailable())('a course with script payloads in linked files, played in scorm-again', () => {
  let course: string;
  let built: BuiltCourse;
  let server: StaticServer;
  let browser: Browser;
  let lms: LmsHost;
  const dialogs: string[] = [];

  beforeAll(async () => {
    course = await sampleCourseWith({
      '01-basics/01-lesson.md': page('[A demo](payload.html)'),
      '01-basics/images/payload.svg': SVG,
      '01-basics/payload.html': HTML,
    });
    server = await startStaticServer();
    browser = await launchBrowser();
    browser.context.on('page', (p) => p.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    }));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await built?.remove();
  });

  it('the link to the HTML file is refused with its place', async () => {
    const { compiled, diagnostics } = await compileCourse(course);
    expect(compiled).toBeNull();
    expect(diagnostics.errors.map((d) => `${d.file}:${d.line}:${d.column} [${d.rule}]`))
      .toEqual(['01-basics/01-lesson.md:15:1 [active-file]']);
  });

  it('without it the course builds; the HTML file is in no package, the SVG has no script', async () => {
    await writeFile(join(course, '01-basics/01-lesson.md'), page('The demo is not part of the course.'));
    built = await buildCourse(course, ['scorm12']);
    const files = built.files.scorm12!;
    expect(files.filter((f) => f.includes('payload'))).toEqual(['assets/01-basics/images/payload.svg']);
  });

  it('playing the page and opening the packaged files runs nothing', async () => {
    lms = await openLms(browser, server, { standard: 'scorm12', packageDir: built.dirs.scorm12! });
    lms.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await lms.launch();
    const frame = await lms.sco();
    await waitForPlayer(frame);
    await frame.evaluate(() => { location.hash = 'lesson-one'; });
    await frame.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('#cp-page img[alt="A red dot"]');
      return !!img && img.complete && img.naturalWidth > 0;
    });
    expect(await frame.locator('#cp-page').innerHTML()).not.toMatch(/onerror|<script/);

    // The learner follows the link to the drawing: it opens on its own, in the LMS's origin.
    await frame.locator('#cp-page a', { hasText: 'Open the drawing' }).click();
    await frame.waitForURL(/payload\.svg$/);
    expect(await frame.evaluate(() => document.documentElement.localName)).toBe('svg');
    // And someone who knows where packages live tries the HTML file.
    const html = await frame.goto(frame.url().replace(/images\/payload\.svg$/, 'payload.html'));
    expect(html?.status()).toBe(404);
    await lms.page.waitForTimeout(500); // a payload that ran would have reported by now

    expect(server.notFound.filter((p) => p.startsWith('/pwned'))).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(await lms.page.evaluate(() => (window as unknown as { pwned?: string }).pwned)).toBeUndefined();
  });
});
