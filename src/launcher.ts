/**
 * The packed command line's entry, `dist/tool/cli.cjs`: runs coursepack (`coursepack.cjs`, made by
 * pack.ts) through V8's code cache, as Node 22's `module.enableCompileCache()` does for modules.
 * Without it every command compiles coursepack's code afresh: about a tenth of a cold build, and
 * a fifth of a rebuild after a one-page edit (measured on two cores).
 *
 * The cache is one file under the install's `node_modules/.cache/coursepack/code/`, named by a
 * hash of the code, Node's V8 and the machine, and it checks its own bytes: a missing, stale,
 * damaged or unwritable cache only means compiling as usual. It is written again when a command
 * ran much more code than the cache holds (a build after `--version`); only a command that ran
 * longer than the one that made the cache is asked, as asking costs some milliseconds.
 * `NODE_DISABLE_COMPILE_CACHE=1` turns it off, as it does Node's own.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { relaunchWithOneHelper } from './relaunch.ts';

/** coursepack's caches, below a `node_modules` folder: the build cache (cache.ts) and this one. */
export const CACHE_ROOT = join('.cache', 'coursepack');
/** The code cache's folder in CACHE_ROOT, beside the build cache's. */
export const CODE_CACHE_FOLDER = 'code';

/**
 * Cache file layout: SHA-256 of the rest; then, when it was made, V8's bytecode size and how long
 * the command had run in ms (uint32 each); then V8's data.
 */
const HASH_BYTES = 32;
const HEAD_BYTES = HASH_BYTES + 8;
/** Bytecode grown by more than this since the cache was made: write it again. */
const GROWTH = 1.1;
/** Bytecode is measured only by a command that ran this much longer than the cache's maker. */
const LONGER = 1.25;

interface Kept {
  bytecode: number;
  ranMs: number;
  data: Buffer;
}

const uint32 = (n: number) => Math.max(0, Math.min(Math.round(n), 0xffffffff));
/** V8's bytecode now; node:v8 is loaded only here, as loading it takes a few ms. */
const bytecodeSize = (require: NodeJS.Require) =>
  uint32((require('node:v8') as typeof import('node:v8')).getHeapCodeStatistics().bytecode_and_metadata_size);
/**
 * How long the command has run since the launcher started, in ms. Not the process's uptime: Node's
 * own start varies with the machine (with NODE_EXTRA_CA_CERTS it takes some 80 ms more), and a
 * relaunched command's Node starts without it (relaunch.ts).
 */
const launched = performance.now();
const ranMs = () => uint32(performance.now() - launched);

const sha256 = (...parts: (string | Buffer)[]) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();

/** The node_modules folder nearest to `dir`, up the tree, or null: where coursepack's caches go. */
export function nearestModules(dir: string): string | null {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, 'node_modules'))) return join(at, 'node_modules');
    if (dirname(at) === at) return null;
  }
}

/** The cache file for this code on this Node, or null where there is no node_modules to keep it. */
export function codeCacheFile(toolDir: string, source: string): string | null {
  const modules = nearestModules(toolDir);
  if (!modules) return null;
  const name = sha256(source, process.versions.v8, process.arch).toString('hex').slice(0, 24);
  return join(modules, CACHE_ROOT, CODE_CACHE_FOLDER, `${name}.bin`);
}

/** Whether the project in `dir` has a build cache (cache.ts) yet: anything beside the code cache. */
function hasBuildCache(dir: string): boolean {
  const modules = nearestModules(dir);
  const base = modules && join(modules, CACHE_ROOT);
  return !!base && existsSync(base) && readdirSync(base).some((entry) => entry !== CODE_CACHE_FOLDER);
}

function readKept(file: string): Kept | null {
  try {
    const bytes = readFileSync(file);
    const data = bytes.subarray(HEAD_BYTES);
    if (bytes.length <= HEAD_BYTES || !sha256(bytes.subarray(HASH_BYTES)).equals(bytes.subarray(0, HASH_BYTES))) return null;
    return { bytecode: bytes.readUInt32LE(HASH_BYTES), ranMs: bytes.readUInt32LE(HASH_BYTES + 4), data };
  } catch {
    return null;
  }
}

/** Written aside and renamed, and alone in its folder: older code's caches go. */
function keep(file: string, data: Buffer, bytecode: number): void {
  try {
    const body = Buffer.alloc(8 + data.length);
    body.writeUInt32LE(bytecode, 0);
    body.writeUInt32LE(ranMs(), 4);
    data.copy(body, 8);
    const dir = dirname(file);
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${file}.${process.pid}`, Buffer.concat([sha256(body), body]));
    renameSync(`${file}.${process.pid}`, file);
    for (const other of readdirSync(dir)) if (other.endsWith('.bin') && other !== basename(file)) rmSync(join(dir, other), { force: true });
  } catch {
    // A cache that cannot be written only makes the next command slower.
  }
}

/** Runs a CommonJS file as Node would, with V8's code cache for it kept in `cacheFile`. */
export function runWithCodeCache(file: string, source: string, cacheFile: string | null): void {
  const kept = cacheFile ? readKept(cacheFile) : null;
  // Node's own module wrapper, on a line of its own so that line numbers stay those of the file.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {\n${source}\n})`, {
    filename: file,
    lineOffset: -1,
    cachedData: kept?.data,
  });
  const require = createRequire(file);
  if (cacheFile) {
    process.once('exit', () => {
      const stale = !kept || script.cachedDataRejected;
      if (!stale && ranMs() <= kept.ranMs * LONGER) return; // asking V8 walks the heap
      const bytecode = bytecodeSize(require);
      if (stale || bytecode > kept.bytecode * GROWTH) keep(cacheFile, script.createCachedData(), bytecode);
    });
  }
  const module = { exports: {} };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, require, module, file, dirname(file));
}

/** Runs the packed command line next to `entry` (the path of `dist/tool/cli.cjs`). */
export function launch(entry: string): void {
  if (relaunchWithOneHelper(entry, () => hasBuildCache(process.cwd()))) return;
  const toolDir = dirname(entry);
  const file = join(toolDir, 'coursepack.cjs');
  const source = readFileSync(file, 'utf8');
  runWithCodeCache(file, source, process.env.NODE_DISABLE_COMPILE_CACHE ? null : codeCacheFile(toolDir, source));
}
