/**
 * Build speed as ratios taken in one run, since these machines swing 2× from run to run:
 * the command line as an author runs it against pandoc rendering the same Markdown, cached
 * rebuilds, a course ten times the size, and one 5 MB page, with peak memory.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/tool/cli.cjs');
/** Reports the process's peak memory on exit, without touching the command line's code. */
const MEMORY_PROBE = 'data:text/javascript,process.on("exit",()=>process.stderr.write(`\\nmaxrss-kb ${process.resourceUsage().maxRSS}\\n`))';

interface Run {
  ms: number;
  peakMb: number;
}

export type Row = (label: string, value: string, note?: string) => void;

function run(command: string, args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = process.env): Run {
  const start = performance.now();
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  const kb = Number(/maxrss-kb (\d+)/.exec(result.stderr)?.[1] ?? 0);
  return { ms, peakMb: kb / 1024 };
}

/**
 * A cold build in a fresh process, as an author runs it: no build cache, a new output folder.
 * coursepack's own compiled code is cached (launcher.ts) from the first command after install on,
 * unless `firstRun`.
 */
function coldBuild(courseDir: string, out: string, firstRun = false, nodeFlags: string[] = []): Run {
  const env = firstRun ? { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' } : process.env;
  return run(process.execPath, [...nodeFlags, '--import', MEMORY_PROBE, CLI, 'build', courseDir, '--out', out, '--no-cache'], ROOT, env);
}

/**
 * On two cores a cold build starts Node again with one V8 helper thread (src/relaunch.ts); given
 * the option from the start, it saves that second start: shown to price the relaunch.
 */
const ONE_HELPER = ['--v8-pool-size=1'];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (ms: number) => `${Math.round(ms)} ms`;

async function markdownFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.md')).map((e) => join(e.parentPath, e.name)).sort();
}

export async function buildSpeed(courseDir: string, row: Row): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'coursepack-speed-'));
  const text = (await Promise.all((await markdownFiles(courseDir)).map((f) => readFile(f, 'utf8')))).join('\n\n');
  const textFile = join(work, 'course.md');
  await writeFile(textFile, text);
  const pandoc = spawnSync('pandoc', ['--version']).status === 0;

  console.log(`\nbuild: the whole course, every target, a cold command-line process (${Math.round(text.length / 1024)} KB of Markdown)`);
  const builds: number[] = [];
  const firstRuns: number[] = [];
  const oneHelper: number[] = [];
  const renders: number[] = [];
  let peak = 0;
  coldBuild(courseDir, join(work, 'out-code-cache')); // after an install, the first command keeps the code cache
  for (let i = 0; i < 7; i++) {
    const cold = coldBuild(courseDir, join(work, `out-${i}`));
    builds.push(cold.ms);
    peak = Math.max(peak, cold.peakMb);
    if (pandoc) renders.push(run('pandoc', ['-f', 'gfm', '-t', 'html', '-o', '/dev/null', textFile]).ms);
    if (i % 2 === 0) firstRuns.push(coldBuild(courseDir, join(work, `out-first-${i}`), true).ms);
    else oneHelper.push(coldBuild(courseDir, join(work, `out-helper-${i}`), false, ONE_HELPER).ms);
  }
  const oneX = median(builds);
  row('cold build, median of 7', fmt(oneX), `(${builds.map(Math.round).join(', ')}), peak ${Math.round(peak)} MB`);
  row('  without code cache, median of 4', fmt(median(firstRuns)), `(${firstRuns.map(Math.round).join(', ')}): the first command after an install`);
  row('  node --v8-pool-size=1, median of 3', fmt(median(oneHelper)), `(${oneHelper.map(Math.round).join(', ')}): the option given, no second Node start`);
  if (pandoc) {
    const render = median(renders);
    row('pandoc -f gfm -t html, median of 7', fmt(render), `(${renders.map(Math.round).join(', ')}), alternating with the builds`);
    row('ratio build / pandoc', (oneX / render).toFixed(2), 'budget ≤ 1.2, aim ≤ 1.0');
    row('  first command after an install', (median(firstRuns) / render).toFixed(2), '(without the code cache)');
    row('  with node --v8-pool-size=1 given', (median(oneHelper) / render).toFixed(2), '(or in NODE_OPTIONS)');
  } else {
    row('pandoc', 'skipped', 'not installed (Debian: apt-get install pandoc)');
  }

  await cachedRebuilds(courseDir, work, oneX, row);
  await scaled(courseDir, work, oneX, row);
  await rm(work, { recursive: true, force: true });
}

/** The cache as an author meets it: the same command again, and again after a one-page edit. */
async function cachedRebuilds(courseDir: string, work: string, oneX: number, row: Row): Promise<void> {
  const project = join(work, 'project');
  await mkdir(join(project, 'node_modules'), { recursive: true });
  await cp(courseDir, join(project, 'course'), { recursive: true });
  const build = () => run(process.execPath, [CLI, 'build', 'course'], project);
  build();
  const unchanged = Array.from({ length: 5 }, () => build().ms);
  const page = join(project, 'course/03-onsite-personalization/03-personalization-search.md');
  const original = await readFile(page, 'utf8');
  const edited: number[] = [];
  for (let i = 0; i < 5; i++) {
    await writeFile(page, `${original}\nEdited ${i}.\n`);
    edited.push(build().ms);
  }
  console.log('\ncached rebuilds (node_modules/.cache/coursepack)');
  row('unchanged, median of 5', fmt(median(unchanged)), `ratio to cold ${(median(unchanged) / oneX).toFixed(2)}; budget ≤ 300 ms`);
  row('one page edited, median of 5', fmt(median(edited)), `ratio to cold ${(median(edited) / oneX).toFixed(2)}; budget ≤ 500 ms`);
  nodeStart(row);
}

/**
 * What of a rebuild is Node's own start, which no build cache shortens. With NODE_EXTRA_CA_CERTS
 * set, Node 20 and 22 parse all their root certificates at start: shown with and without it.
 */
function nodeStart(row: Row): void {
  const start = (env: NodeJS.ProcessEnv) => median(Array.from({ length: 7 }, () => run(process.execPath, ['-e', '0'], ROOT, env).ms));
  row('  of which Node starting, median of 7', fmt(start(process.env)), '`node -e 0`, in every command');
  if (process.env.NODE_EXTRA_CA_CERTS) {
    const { NODE_EXTRA_CA_CERTS: _set, ...without } = process.env;
    row('    without NODE_EXTRA_CA_CERTS', fmt(start(without)), '(set here: Node reads it at start)');
  }
}

/** Ten copies of every module with re-ided pages, and a course of one 5 MB page. */
async function scaled(courseDir: string, work: string, oneX: number, row: Row): Promise<void> {
  const tenfold = join(work, 'tenfold');
  await tenfoldCourse(courseDir, tenfold);
  const big = join(work, 'big-page');
  await bigPageCourse(courseDir, big);
  console.log('\nscale (cold builds, median of 3)');
  for (const [label, dir, budget] of [['10× course', tenfold, 10], ['one 5 MB page', big, 5]] as const) {
    const runs = Array.from({ length: 3 }, (_, i) => coldBuild(dir, join(work, `out-${label.length}-${i}`)));
    const ms = median(runs.map((r) => r.ms));
    const peak = Math.max(...runs.map((r) => r.peakMb));
    row(label, fmt(ms), `${(ms / oneX).toFixed(1)}× the course (budget ≤ ${budget}×), peak ${Math.round(peak)} MB (budget ≤ 500 MB)`);
  }
}

export async function tenfoldCourse(courseDir: string, dir: string): Promise<void> {
  await cp(courseDir, dir, { recursive: true });
  const modules = (await readdir(courseDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  for (const module of modules) {
    for (let copy = 2; copy <= 10; copy++) {
      const target = join(dir, `${module}-x${copy}`);
      await cp(join(courseDir, module), target, { recursive: true });
      for (const file of await markdownFiles(target)) {
        const source = await readFile(file, 'utf8');
        await writeFile(file, source.replace(/^id: (\S+)$/m, `id: $1-x${copy}`).replace(/\{#([\w-]+)/g, `{#$1-x${copy}`));
      }
    }
  }
}

export async function bigPageCourse(courseDir: string, dir: string): Promise<void> {
  await mkdir(join(dir, '01-module'), { recursive: true });
  const config = await readFile(join(courseDir, 'course.yml'), 'utf8');
  // The course's settings without its scoring and completion rules, which name its pages.
  await writeFile(join(dir, 'course.yml'), config.replace(/^(scoring|completion):\n(?: .*\n)*/gm, ''));
  await writeFile(join(dir, '01-module/index.md'), '---\nid: module\ntitle: One big page\n---\n');
  const paragraphs = (await Promise.all((await markdownFiles(courseDir)).map((f) => readFile(f, 'utf8'))))
    .flatMap((t) => t.split(/\n{2,}/))
    // Ordinary prose: no lists, blocks or links to the course's own pages.
    .filter((p) => /^[A-Z*]/.test(p) && !p.includes('\n-') && !/\]\((?!https?:)/.test(p) && p.length > 80);
  const body: string[] = [];
  let size = 0;
  for (let i = 0; size < 5 * 1024 * 1024; i++) {
    const paragraph = paragraphs[i % paragraphs.length]!;
    body.push(paragraph);
    size += paragraph.length + 2;
  }
  await writeFile(join(dir, '01-module/01-page.md'), `---\nid: big-page\n---\n# A long page\n\n${body.join('\n\n')}\n`);
}
