/**
 * The build cache on disk, under the course project's `node_modules/.cache/coursepack/`:
 * - compiled pages by a hash of everything they depend on (the compiler's page cache, kept
 *   across processes), so a one-page edit parses one page;
 * - rendered pages (memo.ts), by a hash of what they are made from, so a rebuild renders only
 *   what changed;
 * - zip entries, deflated, by a hash of their content, so a rebuild deflates only what changed;
 * - the data of course.yml and every front matter, by their text, so a rebuild parses no YAML
 *   that did not change;
 * - the last build's record: a hash of every input and what it wrote, so an unchanged course
 *   whose packages are still in place is not built again.
 * Each course has a folder of its own; after a build, entries it did not use are removed, so the
 * cache holds one build's worth.
 * Everything is keyed by a fingerprint of coursepack itself (its code and themes): another
 * version never reads this one's entries. A damaged entry is a miss, never an error.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { PageCache } from './compile/compile.ts';
import type { PageResult } from './compile/page.ts';
import { withoutBody, type Page } from './model.ts';
import type { YamlCache } from './compile/yaml.ts';
import { CACHE_ROOT, CODE_CACHE_FOLDER, nearestModules } from './launcher.ts';
import { own, PACKED } from './paths.ts';
import type { Memo } from './memo.ts';
import type { Packed, PackedStore } from './targets/zip.ts';

export interface BuildCache {
  pages: PageCache;
  yaml: YamlCache;
  memo: Memo;
  packed: PackedStore;
  /** Removes the entries this build did not use. */
  prune(): void;
  /** The last build's record, as the build wrote it (see build.ts); null if none or damaged. */
  readRecord(): unknown;
  writeRecord(record: unknown): void;
}

/** The cache of the project holding `courseDir`, or null where there is no node_modules above it. */
export function openBuildCache(courseDir: string): BuildCache | null {
  const modules = nearestModules(courseDir);
  if (!modules) return null;
  const base = join(modules, CACHE_ROOT);
  const dir = join(base, toolFingerprint());
  if (!existsSync(dir)) removeOtherVersions(base);
  // A folder per course: pruning after one course's build leaves another's entries alone.
  const courseCache = join(dir, hash(courseDir).slice(0, 16));
  for (const folder of ['pages', 'rendered', 'deflated']) mkdirSync(join(courseCache, folder), { recursive: true });
  const recordFile = join(courseCache, 'build.json');
  const pages = new DiskPageCache(join(courseCache, 'pages'));
  const yaml = new DiskYamlCache(join(courseCache, 'yaml.json'));
  const memo = new DiskMemo(join(courseCache, 'rendered'));
  const packed = new DiskPackedStore(join(courseCache, 'deflated'));
  return {
    pages,
    yaml,
    memo,
    packed,
    prune: () => {
      [pages.used, memo.used, packed.used].forEach((used) => used.prune());
      yaml.keepUsed();
    },
    readRecord: () => readJson<unknown>(recordFile),
    writeRecord: (record) => writeFileSync(recordFile, JSON.stringify(record)),
  };
}

/** Entries of other coursepack versions; the code cache (launcher.ts) keeps its own folder tidy. */
function removeOtherVersions(base: string): void {
  for (const entry of existsSync(base) ? readdirSync(base) : []) {
    if (entry !== CODE_CACHE_FOLDER) rmSync(join(base, entry), { recursive: true, force: true });
  }
}

/** The files of one kind of entry that a build read or wrote. */
class UsedFiles extends Set<string> {
  constructor(readonly dir: string) {
    super();
  }

  prune(): void {
    for (const name of readdirSync(this.dir)) if (!this.has(name)) rmSync(join(this.dir, name), { force: true });
  }
}

/** JSON values, a file each. */
class DiskMemo implements Memo {
  readonly used: UsedFiles;

  constructor(dir: string) {
    this.used = new UsedFiles(dir);
  }

  get(key: string): unknown {
    const value = readJson<unknown>(join(this.used.dir, `${key}.json`)) ?? undefined;
    if (value !== undefined) this.used.add(`${key}.json`);
    return value;
  }

  set(key: string, value: unknown): void {
    writeEntry(this.used, `${key}.json`, JSON.stringify(value));
  }
}

/**
 * The compiler's page cache (a Map by key), in memory and on disk. A page's body is most of its
 * entry and a rebuild rarely reads it (rendered bodies are memoised by the page's key): an entry
 * is the page without its body, the body's length, then the body, which is parsed on first use.
 */
class DiskPageCache extends Map<string, PageResult> {
  readonly used: UsedFiles;

  constructor(dir: string) {
    super();
    this.used = new UsedFiles(dir);
  }

  override get(key: string): PageResult | undefined {
    const held = super.get(key);
    if (held) return held;
    const name = `${key}.json`;
    try {
      const text = readFileSync(join(this.used.dir, name), 'utf8');
      const cut = text.indexOf('\n');
      const { result, bodyLength } = JSON.parse(text.slice(0, cut)) as { result: PageResult; bodyLength: number };
      const body = text.slice(cut + 1);
      if (body.length !== bodyLength) return undefined; // cut short: a miss
      if (result.page) lazyBody(result.page, body);
      this.used.add(name);
      return result;
    } catch {
      return undefined;
    }
  }

  override set(key: string, value: PageResult): this {
    super.set(key, value);
    const body = value.page ? JSON.stringify(value.page.body) : '';
    const page = value.page && withoutBody(value.page);
    const head = JSON.stringify({ result: { ...value, page }, bodyLength: body.length });
    writeEntry(this.used, `${key}.json`, `${head}\n${body}`);
    return this;
  }
}

/** A page's body, parsed from its JSON when first read. */
function lazyBody(page: Page, json: string): void {
  let body: Page['body'] | undefined;
  Object.defineProperty(page, 'body', {
    enumerable: true,
    configurable: true,
    get: () => (body ??= JSON.parse(json) as Page['body']),
    set: (value: Page['body']) => void (body = value),
  });
}

/** YAML data by its text, in one file: dozens of small entries, all read by every build. */
class DiskYamlCache extends Map<string, Record<string, unknown>> {
  private readonly used = new Set<string>();
  private changed = false;

  constructor(private readonly file: string) {
    super();
    for (const [text, data] of Object.entries(readJson<Record<string, Record<string, unknown>>>(file) ?? {})) super.set(text, data);
  }

  override get(text: string): Record<string, unknown> | undefined {
    const data = super.get(text);
    if (data) this.used.add(text);
    return data;
  }

  override set(text: string, data: Record<string, unknown>): this {
    this.used.add(text);
    this.changed = true;
    return super.set(text, data);
  }

  /** Writes the entries this build read or added, when they differ from those on disk. */
  keepUsed(): void {
    if (!this.changed && this.used.size === this.size) return;
    const kept = Object.fromEntries([...this.used].map((text) => [text, super.get(text)]));
    writeAside(this.file, JSON.stringify(kept));
  }
}

/**
 * Deflated zip entries, a file each: CRC, size, method and length of the bytes, then the bytes.
 * Held in memory too: the packages of one build share most of their files.
 */
class DiskPackedStore implements PackedStore {
  readonly used: UsedFiles;
  private readonly held = new Map<string, Packed>();

  constructor(dir: string) {
    this.used = new UsedFiles(dir);
  }

  get(key: string): Packed | null {
    const known = this.held.get(key);
    if (known) return known;
    try {
      const file = readFileSync(join(this.used.dir, key));
      const data = file.subarray(13);
      const method = file[8];
      if (data.length !== file.readUInt32LE(9) || (method !== 0 && method !== 8)) return null; // damaged: a miss
      this.used.add(key);
      const packed: Packed = { crc: file.readUInt32LE(0), size: file.readUInt32LE(4), method, data };
      this.held.set(key, packed);
      return packed;
    } catch {
      return null;
    }
  }

  set(key: string, packed: Packed): void {
    this.held.set(key, packed);
    const { crc, size, method, data } = packed;
    const head = Buffer.alloc(13);
    head.writeUInt32LE(crc, 0);
    head.writeUInt32LE(size, 4);
    head[8] = method;
    head.writeUInt32LE(data.length, 9);
    writeEntry(this.used, key, Buffer.concat([head, data]));
  }
}

function writeEntry(used: UsedFiles, name: string, content: string | Buffer): void {
  if (writeAside(join(used.dir, name), content)) used.add(name);
}

/** Written aside and renamed, so a build stopped midway leaves no half entry. */
function writeAside(file: string, content: string | Buffer): boolean {
  try {
    writeFileSync(`${file}.${process.pid}`, content);
    renameSync(`${file}.${process.pid}`, file);
    return true;
  } catch {
    return false; // a cache that cannot be written only makes the next build slower
  }
}

// Hashing reads synchronously: dozens of small files, one after another, each read on the thread
// pool would cost a round trip; a build waits for the hash anyway.

/** A hash of every file of the course, coursepack's fingerprint and the options of the build. */
export function hashInputs(courseDir: string, options: unknown): string {
  const digest = createHash('sha256').update(toolFingerprint()).update(JSON.stringify(options));
  for (const file of listFiles(courseDir)) {
    digest.update(`\0${relative(courseDir, file).split(sep).join('/')}\0`);
    digest.update(file.endsWith('@') ? readlinkSync(file.slice(0, -1)) : readFileSync(file));
  }
  return digest.digest('hex');
}

/**
 * A hash of a package as the build wrote it: a zip's (or cartridge's) bytes, or the files of a
 * folder with their paths (`/`-separated, relative to the folder).
 */
export function hashPackage(content: Buffer | Map<string, string | Buffer>): string {
  const digest = createHash('sha256');
  if (Buffer.isBuffer(content)) return digest.update(content).digest('hex');
  for (const path of [...content.keys()].sort()) digest.update(`\0${path}\0`).update(content.get(path)!);
  return digest.digest('hex');
}

/** The same hash of a package on disk; null when it is missing or cannot be read. */
export function hashOutput(path: string): string | null {
  try {
    if (statSync(path).isFile()) return hashPackage(readFileSync(path));
    const files = new Map(listFiles(path).map((file) => [relative(path, file).split(sep).join('/'), readFileSync(file)]));
    return hashPackage(files);
  } catch {
    return null;
  }
}

/** Files below `dir`, sorted; a symbolic link is listed as `<path>@` and never followed. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() || e.isSymbolicLink())
    .map((e) => join(e.parentPath, e.name) + (e.isSymbolicLink() ? '@' : ''))
    .sort();
}

let fingerprint: string | undefined;

/** coursepack's code and themes: the packed command line, or every source file. */
function toolFingerprint(): string {
  if (!fingerprint) {
    const digest = createHash('sha256');
    // From the sources: every source file; packed: dist/tool (the command line and runtime bundles).
    const files = listSync(PACKED ? own('dist', 'tool') : own('src'));
    for (const file of [...files, ...listSync(own('themes'))]) digest.update(file).update(readFileSync(file));
    fingerprint = digest.digest('hex').slice(0, 20);
  }
  return fingerprint;
}

function listSync(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
