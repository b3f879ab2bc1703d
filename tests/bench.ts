/**
 * `npm run bench`: build speed as ratios (see bench/speed.ts), time per stage in process, package
 * sizes, runtime bundle sizes min+gz, and the encoded learner state after a full run with every
 * workbook and the capstone filled with realistic text. Budgets are printed beside the numbers.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { build, kb } from '../src/build.ts';
import { bundleRuntime } from '../src/runtime/bundle.ts';
import { packTool } from '../src/pack.ts';
import { buildSpeed } from './bench/speed.ts';
import { encodeForLimit, encodeState, freshState } from '../src/runtime/state.ts';
import { textRef, withoutRecordedTexts } from '../src/runtime/session/records.ts';
import type { CompiledCourse } from '../src/model.ts';
import { pageHtml } from './support/page-html.ts';

const ROOT = join(import.meta.dirname, '..');
const COURSE = join(ROOT, 'course');

function row(label: string, value: string, budget = ''): void {
  console.log(`  ${label.padEnd(34)} ${value.padStart(12)}  ${budget}`);
}

async function main(): Promise<void> {
  console.log('coursepack bench — the whole course, every target\n');
  await packTool(); // the command line as an author's install runs it

  await buildSpeed(COURSE, row);
  const out = await mkdtemp(join(tmpdir(), 'coursepack-bench-'));

  // In-process: per stage, first (cold caches) and second run (warm).
  console.log('\nbuild stages, in process');
  for (const label of ['in-process, first', 'in-process, warm']) {
    const result = await build({ courseDir: COURSE, outDir: out });
    const total = Object.values(result.timings).reduce((a, b) => a + b, 0);
    const stages = Object.entries(result.timings).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ');
    row(label, `${Math.round(total)} ms`, `(${stages})`);
    if (label.endsWith('warm')) {
      console.log('\npackages');
      for (const pkg of result.packages) row(pkg.name, kb(pkg.bytes));
      await stateSizes(result.compiled!);
    }
  }

  await previewReload();

  console.log('\nruntime bundles (minified + gzip)');
  const budgets = { scorm12: 12, scorm2004: 12, web: 12, xapi: 35, cmi5: 35 } as const;
  for (const [entry, budget] of Object.entries(budgets) as [keyof typeof budgets, number][]) {
    const code = await bundleRuntime(entry);
    row(entry, `${kb(gzipSync(code).length)}`, `(${kb(Buffer.byteLength(code))} min)  budget ≤ ${budget} KB`);
  }
}

/**
 * Preview: from saving a page's Markdown to the learner seeing the change, with the course
 * relaunched where it was — the median of a few edits of the real course.
 */
async function previewReload(): Promise<void> {
  const { startPreview } = await import('../src/preview/server.ts');
  const { launchBrowser, chromiumAvailable, waitForPlayer } = await import('./support/browser/index.ts');
  if (!chromiumAvailable()) {
    console.log('\npreview: skipped (no Chromium)');
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'coursepack-bench-course-'));
  await cp(COURSE, dir, { recursive: true });
  const preview = await startPreview({ courseDir: dir, target: 'scorm2004', port: 0, watch: true });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(preview.url);
    const sco = (await (await page.locator('#sco').elementHandle())!.contentFrame())!;
    await waitForPlayer(sco);
    await sco.evaluate(() => { location.hash = '#lesson-3-2'; });
    await sco.waitForSelector('#cp-page h1:text("Lesson 3.2")');
    const file = join(dir, '03-onsite-personalization/03-personalization-search.md');
    const original = await readFile(file, 'utf8');
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const token = `Edited-${i}-${Date.now()}`;
      const start = performance.now();
      await writeFile(file, `${original}\n${token}\n`);
      await sco.waitForSelector(`text=${token}`, { timeout: 10_000 });
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    console.log('\npreview (real course, SCORM 2004 stand-in, Chromium)');
    row('save → page reloaded in place', `${Math.round(times[3])} ms`, `median of 7 (${times.map(Math.round).join(', ')})  budget ≤ 150 ms`);
  } finally {
    await browser.close();
    await preview.close();
  }
}

/** A realistic full run: every page visited, every question answered, every text ≥ 300 words. */
async function stateSizes(compiled: CompiledCourse): Promise<void> {
  const { course, interactions } = compiled;
  const state = freshState();
  state.bookmark = course.pages.at(-1)!.id;
  state.visited = course.pages.map((p) => p.id);
  // Learners write like the course reads: take their prose from the course's own text.
  const words = course.pages.map((p) => pageHtml(compiled, p).replace(/<[^>]+>/g, ' ')).join(' ').split(/\s+/).filter(Boolean);
  const prose = (n: number, seed: number) => words.slice(seed * 997 % (words.length - n), seed * 997 % (words.length - n) + n).join(' ');
  let texts = 0;
  for (const interaction of interactions.values()) {
    if (interaction.kind === 'response') {
      state.texts[interaction.id] = prose(300 + (texts % 5) * 20, texts);
      texts++;
    } else {
      state.answers[interaction.id] = [interaction.kind === 'question' && interaction.correct[0] ? interaction.correct[0] : 'a'];
      state.checked.push(interaction.id);
    }
  }
  for (const page of course.pages.filter((p) => p.quiz)) {
    state.quizzes[page.id] = { attempts: 2, best: 90, last: 90, passed: true, order: page.interactionIds, submitted: true };
  }
  state.updated = Date.now();
  const full = encodeState(state);
  const json = JSON.stringify(state).length;
  console.log(`\nlearner state after a full run (${texts} free-text answers of 300+ words)`);
  row('JSON, uncompressed', `${json} chars`);
  row('encoded (all targets\' codec)', `${full.length} chars`);
  const scorm12 = encodeForLimit(state, 4096);
  row('SCORM 1.2 suspend_data, strict', `${scorm12.value?.length ?? 0} chars`,
    `limit 4,096: ${scorm12.overflow.length} texts kept on the device, with a notice`);
  const scorm12Large = encodeForLimit(state, 64000);
  row('SCORM 1.2 suspend_data, lenient', `${scorm12Large.value?.length ?? 0} chars`,
    `LMS keeping 64,000 (Moodle's default): ${scorm12Large.overflow.length} texts kept on the device`);
  const scorm2004 = encodeForLimit(state, 64000);
  row('SCORM 2004 suspend_data, 1st launch', `${scorm2004.value?.length ?? 0} chars`,
    `limit 64,000: ${scorm2004.overflow.length} texts over the limit (texts also in the interaction records)`);
  // Once the LMS has returned its interaction records intact, texts are referenced, not repeated.
  const recorded = Object.fromEntries(Object.entries(state.texts).map(([id, text], i) => [id, textRef(i, text)]));
  const slim = encodeState(withoutRecordedTexts({ ...state, recorded }));
  row('SCORM 2004 suspend_data, later', `${slim.length} chars`, `goal ≤ 32,000: ${texts} texts in the interaction records`);
  // xAPI and cmi5 keep the same encoding in the State resource document, with the bookmark.
  const document = JSON.stringify({ v: 1, location: state.bookmark, state: full, verdicts: {}, saved: state.updated });
  row('xAPI / cmi5 State document', `${document.length} chars`, 'no limit (State resource)');
  row('web: localStorage', `${full.length} chars`, 'this browser only');
}

await main();
