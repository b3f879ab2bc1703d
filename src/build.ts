/**
 * The build: compile → render the shared site → per target, runtime + manifest → package.
 * Packages are written to a staging folder and only then moved into place, so a failed build
 * leaves the previous packages untouched. With `cache`, compiled pages are kept on disk and a
 * course whose inputs and packages are unchanged since the last build is not built again.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import type { CompiledCourse, TargetName } from './model.ts';
import { Diagnostics } from './diagnostics.ts';
import type { Files, Site } from './render/site.ts';
import { bundleRuntime } from './runtime/bundle.ts';
import type { RuntimeEntry, Target } from './targets/types.ts';
import { packedInMemory, zipFiles, type PackedStore } from './targets/zip.ts';
import { hashInputs, hashOutput, hashPackage, openBuildCache, type BuildCache } from './cache.ts';
import type { Memo } from './memo.ts';
import { sanitiseSvg } from './svg.ts';

export interface BuildOptions {
  courseDir: string;
  outDir: string;
  /** Default: the targets of course.yml. */
  targets?: TargetName[];
  /** Called with a line of progress per stage. */
  progress?: (line: string) => void;
  /** Keep compiled pages and the last build's record on disk (the command line does, unless --no-cache). */
  cache?: boolean;
}

/** What a build made, in numbers: also known when the packages were already up to date. */
export interface BuildSummary {
  title: string;
  modules: number;
  pages: number;
  questions: number;
  interactions: number;
}

export interface BuiltPackage {
  target: TargetName;
  /** File or folder, relative to the output folder. */
  name: string;
  bytes: number;
  /** Of its content as written (cache.ts `hashPackage`): the build record checks the output against it. */
  hash: string;
}

export interface BuildResult {
  diagnostics: Diagnostics;
  /** The course model; null when the build failed, or when the packages were up to date. */
  compiled: CompiledCourse | null;
  /** null when the build failed. */
  summary: BuildSummary | null;
  /** The packages in the output folder were made from these very inputs: nothing was written. */
  upToDate: boolean;
  packages: BuiltPackage[];
  /** Milliseconds per stage. */
  timings: Record<string, number>;
  runtimeBytes: Partial<Record<RuntimeEntry, number>>;
}

/** The last build, as the cache keeps it. */
interface CachedBuild {
  /** Hash of the course's files, coursepack's fingerprint and the build options. */
  inputs: string;
  summary: BuildSummary;
  diagnostics: Diagnostics['items'];
  /** What the build wrote, each with a hash of its content: checked against the output folder. */
  packages: BuiltPackage[];
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const cache = options.cache ? openBuildCache(options.courseDir) : null;
  if (!cache) return buildPackages(options, null);
  const inputs = hashInputs(options.courseDir, { targets: options.targets ?? null, outDir: options.outDir });
  const record = cache.readRecord() as CachedBuild | null;
  if (record?.inputs === inputs && outputsIntact(record, options.outDir)) {
    const diagnostics = new Diagnostics();
    diagnostics.items.push(...record.diagnostics);
    options.progress?.('up to date: the course and coursepack are unchanged since the last build');
    return { diagnostics, compiled: null, summary: record.summary, upToDate: true, packages: record.packages, timings: {}, runtimeBytes: {} };
  }
  const result = await buildPackages(options, cache);
  if (result.summary) {
    const fresh: CachedBuild = { inputs, summary: result.summary, diagnostics: result.diagnostics.items, packages: result.packages };
    cache.writeRecord(fresh);
    cache.prune();
  }
  return result;
}

function outputsIntact(record: CachedBuild, outDir: string): boolean {
  return record.packages.every(({ name, hash }) => hashOutput(join(outDir, name)) === hash);
}

async function buildPackages(options: BuildOptions, cache: BuildCache | null): Promise<BuildResult> {
  const timings: Record<string, number> = {};
  const progress = options.progress ?? (() => {});
  const timed = async <T>(stage: string, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await work();
    timings[stage] = performance.now() - start;
    return result;
  };

  // Loaded here, not at start-up, so that an up-to-date build never loads the compiler and targets.
  const [{ compileCourse }, { renderSite }, { targets }] = await Promise.all([
    import('./compile/compile.ts'), import('./render/site.ts'), import('./targets/index.ts'),
  ]);
  const { compiled, diagnostics } = await timed('compile', () => compileCourse(options.courseDir, { cache: cache?.pages, yaml: cache?.yaml }));
  const result: BuildResult = { diagnostics, compiled, summary: null, upToDate: false, packages: [], timings, runtimeBytes: {} };
  if (!compiled) return result;
  const { course } = compiled;
  progress(`compiled ${course.pages.length} pages, ${compiled.interactions.size} interactions (${ms(timings.compile)})`);

  const selected = (options.targets ?? course.targets).map((name) => targets[name]);

  const site = await timed('render', () => renderSite(compiled, cache?.memo));
  const assets = await timed('assets', () => readAssets(options.courseDir, compiled.assets));
  progress(`rendered the site and ${compiled.assets.length} assets (${ms(timings.render + timings.assets)})`);

  const entries = [...new Set(selected.filter((t) => !t.assemble).map((t) => t.runtime))];
  const bundles = await timed('runtime', async () =>
    new Map(await Promise.all(entries.map(async (e) => [e, await bundleRuntime(e)] as const))));
  for (const [entry, code] of bundles) result.runtimeBytes[entry] = Buffer.byteLength(code);
  progress(`bundled runtime ${entries.join(', ')} (${ms(timings.runtime)})`);

  const staging = join(options.outDir, `.staging-${process.pid}-${Date.now()}`);
  await mkdir(staging, { recursive: true });
  const packed = cache?.packed ?? packedInMemory(); // zip entries, deflated once for every package
  try {
    await timed('package', () => Promise.all(selected.map(async (target) => {
      const files = await packageFiles(compiled, site, target, bundles.get(target.runtime)!, assets, cache?.memo);
      const name = `${course.slug}-${target.name}${target.output === 'zip' ? target.extension ?? '.zip' : ''}`;
      const written = target.output === 'zip'
        ? await writeZip(join(staging, name), files, packed)
        : writeFolder(join(staging, name), files);
      result.packages.push({ target: target.name, name, ...written });
      progress(`packaged ${name} (${kb(written.bytes)})`);
    })));
    await timed('write', async () => {
      for (const pkg of result.packages) {
        await rm(join(options.outDir, pkg.name), { recursive: true, force: true });
        await rename(join(staging, pkg.name), join(options.outDir, pkg.name));
      }
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  // By code unit: `localeCompare` would load the collator of the locale, some 15 ms, for six ASCII names.
  result.packages.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  result.summary = summarise(compiled);
  return result;
}

function summarise({ course, interactions }: CompiledCourse): BuildSummary {
  const questions = [...interactions.values()].filter((i) => i.kind === 'question').length;
  return { title: course.title, modules: course.modules.length, pages: course.pages.length, questions, interactions: interactions.size };
}

/** Every file of one target's package, in memory: the shared site, its runtime and manifest. */
export async function packageFiles(
  compiled: CompiledCourse,
  site: Site,
  target: Target,
  runtime: string,
  assets: Files,
  memo?: Memo,
): Promise<Files> {
  if (target.assemble) return target.assemble(compiled, site.bodies, assets, memo);
  const files: Files = new Map(site.files);
  for (const [path, content] of assets) files.set(path, content);
  files.set('runtime.js', runtime);
  files.set('index.html', site.shell({ connectSrc: target.connectSrc }));
  const contentFiles = [...files.keys()].sort();
  for (const [path, content] of await target.extraFiles(compiled, contentFiles)) files.set(path, content);
  return files;
}

/** The course's files the pages use; SVG images only as rebuilt from their safe parts. */
export async function readAssets(courseDir: string, assets: string[]): Promise<Files> {
  return new Map(await Promise.all(assets.map(async (a): Promise<[string, string | Buffer]> => {
    const content = await readFile(join(courseDir, a));
    if (!a.toLowerCase().endsWith('.svg')) return [`assets/${a}`, content];
    const safe = sanitiseSvg(content.toString('utf8'));
    if (!('svg' in safe)) throw new Error(`${a} changed during the build and is no longer a valid SVG file`);
    return [`assets/${a}`, safe.svg];
  })));
}

// Packages are written synchronously: many small files, each a round trip to the thread pool
// otherwise, while the build has nothing else to do.
async function writeZip(path: string, files: Files, packed: PackedStore): Promise<{ bytes: number; hash: string }> {
  const zip = await zipFiles(files, packed);
  writeFileSync(path, zip);
  return { bytes: zip.length, hash: hashPackage(zip) };
}

function writeFolder(root: string, files: Files): { bytes: number; hash: string } {
  let bytes = 0;
  const folders = new Set<string>();
  for (const [path, content] of files) {
    const target = join(root, path);
    const folder = dirname(target);
    if (!folders.has(folder)) mkdirSync(folder, { recursive: true });
    folders.add(folder);
    writeFileSync(target, content);
    bytes += typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  }
  return { bytes, hash: hashPackage(files) };
}

export function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}
