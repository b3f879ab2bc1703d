/**
 * The packed command line's entry, `dist/tool/cli.cjs`: runs coursepack (`coursepack.cjs`, made by
 * pack.ts) through V8's code cache, as Node 22's `module.enableCompileCache()` does for modules.
 * Without it every command compiles coursepack's code afresh: about a tenth of a cold build, and
 * a fifth of a rebuild after a one-page edit (measured on two cores).
 *
 * The cache is one file under the install's `node_modules/.cache/coursepack/code/`, named by a
 * hash of the code, Node's V8 and the machine, and it checks its own bytes: a missing, stale,
 * damaged or unwritable cache only means compiling as usual. It is written again when a command
 * ran much more code than the cache holds (a build after `--version`).
 * `NODE_DISABLE_COMPILE_CACHE=1` turns it off, as it does Node's own.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { getHeapCodeStatistics } from 'node:v8';
import { Script } from 'node:vm';

/** coursepack's caches, below a `node_modules` folder: the build cache (cache.ts) and this one. */
export const CACHE_ROOT = join('.cache', 'coursepack');
/** The code cache's folder in CACHE_ROOT, beside the build cache's. */
export const CODE_CACHE_FOLDER = 'code';

/** Cache file layout: SHA-256 of the rest, V8's bytecode size when it was made (uint32), V8's data. */
const HASH_BYTES = 32;
const HEAD_BYTES = HASH_BYTES + 4;
/** Bytecode grown by more than this since the cache was made: write it again. */
const GROWTH = 1.1;

interface Kept {
  bytecode: number;
  data: Buffer;
}

const sha256 = (...parts: (string | Buffer)[]) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();

/** The cache file for this code on this Node, or null where there is no node_modules to keep it. */
export function codeCacheFile(toolDir: string, source: string): string | null {
  for (let dir = toolDir; dirname(dir) !== dir; dir = dirname(dir)) {
    if (!existsSync(join(dir, 'node_modules'))) continue;
    const name = sha256(source, process.versions.v8, process.arch).toString('hex').slice(0, 24);
    return join(dir, 'node_modules', CACHE_ROOT, CODE_CACHE_FOLDER, `${name}.bin`);
  }
  return null;
}

function readKept(file: string): Kept | null {
  try {
    const bytes = readFileSync(file);
    const data = bytes.subarray(HEAD_BYTES);
    if (bytes.length <= HEAD_BYTES || !sha256(bytes.subarray(HASH_BYTES)).equals(bytes.subarray(0, HASH_BYTES))) return null;
    return { bytecode: bytes.readUInt32LE(HASH_BYTES), data };
  } catch {
    return null;
  }
}

/** Written aside and renamed, and alone in its folder: older code's caches go. */
function keep(file: string, data: Buffer): void {
  try {
    const body = Buffer.alloc(4 + data.length);
    body.writeUInt32LE(Math.min(getHeapCodeStatistics().bytecode_and_metadata_size, 0xffffffff), 0);
    data.copy(body, 4);
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
  if (cacheFile) {
    process.once('exit', () => {
      const grown = !kept || getHeapCodeStatistics().bytecode_and_metadata_size > kept.bytecode * GROWTH;
      if (grown || script.cachedDataRejected) keep(cacheFile, script.createCachedData());
    });
  }
  const module = { exports: {} };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
}

/** Runs the packed command line next to `entry` (the path of `dist/tool/cli.cjs`). */
export function launch(entry: string): void {
  const toolDir = dirname(entry);
  const file = join(toolDir, 'coursepack.cjs');
  const source = readFileSync(file, 'utf8');
  runWithCodeCache(file, source, process.env.NODE_DISABLE_COMPILE_CACHE ? null : codeCacheFile(toolDir, source));
}
