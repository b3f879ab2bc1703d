/**
 * The packed command line's code cache (src/launcher.ts), in an install of its own: kept after a
 * command, used unchanged by the next, written again when a command ran more code, a miss when
 * damaged, off with NODE_DISABLE_COMPILE_CACHE, and left alone by the build cache.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_COURSE } from '../support/course.ts';

const REPO = join(import.meta.dirname, '../..');

/** A project with coursepack installed in its node_modules (the packed tool and its themes). */
async function install(): Promise<string> {
  const project = await mkdtemp(join(tmpdir(), 'coursepack-code-cache-'));
  const tool = join(project, 'node_modules/coursepack');
  await mkdir(tool, { recursive: true });
  for (const part of ['package.json', 'dist/tool', 'themes']) await cp(join(REPO, part), join(tool, part), { recursive: true });
  await cp(SAMPLE_COURSE, join(project, 'course'), { recursive: true });
  return project;
}

function run(project: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [join(project, 'node_modules/coursepack/dist/tool/cli.cjs'), ...args],
    { cwd: project, encoding: 'utf8', env: { ...process.env, ...env } });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout.replace(/\d+ ms/g, 'N ms');
}

/** The file's own check: a SHA-256 of the rest of it, first. */
const isWhole = (bytes: Buffer) => createHash('sha256').update(bytes.subarray(32)).digest().equals(bytes.subarray(0, 32));

const codeDir = (project: string) => join(project, 'node_modules/.cache/coursepack/code');

/** The one cache file, or null. */
async function cacheFile(project: string): Promise<{ path: string; bytes: Buffer } | null> {
  if (!existsSync(codeDir(project))) return null;
  const files = await readdir(codeDir(project));
  expect(files.length).toBeLessThanOrEqual(1);
  if (!files[0]) return null;
  const path = join(codeDir(project), files[0]);
  return { path, bytes: await readFile(path) };
}

describe('the code cache of the command line', () => {
  it('is kept after a command and used unchanged by the next, which says the same', async () => {
    const project = await install();
    const first = run(project, ['check', 'course']);
    const kept = await cacheFile(project);
    expect(kept!.bytes.length).toBeGreaterThan(100_000);
    expect(run(project, ['check', 'course'])).toBe(first);
    expect((await cacheFile(project))!.bytes.equals(kept!.bytes)).toBe(true);
  });

  it('is written again when a command runs more code than it holds', async () => {
    const project = await install();
    run(project, ['--version']);
    const small = (await cacheFile(project))!.bytes.length;
    run(project, ['check', 'course']);
    expect((await cacheFile(project))!.bytes.length).toBeGreaterThan(small * 1.5);
  });

  it('is a miss when damaged or cut short: the command works and writes a good one', async () => {
    const project = await install();
    const first = run(project, ['check', 'course']);
    const { path, bytes } = (await cacheFile(project))!;
    expect(isWhole(bytes)).toBe(true);
    const damaged = Buffer.from(bytes);
    damaged[damaged.length >> 1] ^= 0xff;
    for (const bad of [damaged, bytes.subarray(0, bytes.length >> 1), Buffer.from('not a cache')]) {
      await writeFile(path, bad);
      expect(run(project, ['check', 'course'])).toBe(first);
      expect(isWhole((await cacheFile(project))!.bytes)).toBe(true);
    }
  });

  it('is not kept with NODE_DISABLE_COMPILE_CACHE=1', async () => {
    const project = await install();
    run(project, ['check', 'course'], { NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(await cacheFile(project)).toBeNull();
  });

  it('survives the build cache clearing out another coursepack version\'s entries', async () => {
    const project = await install();
    run(project, ['build', 'course', '--target', 'web']);
    const kept = (await cacheFile(project))!.bytes;
    const base = join(project, 'node_modules/.cache/coursepack');
    const [fingerprint] = (await readdir(base)).filter((e) => e !== 'code');
    await rm(join(base, fingerprint!), { recursive: true });
    await mkdir(join(base, 'an-older-version'));
    run(project, ['build', 'course', '--target', 'web']);
    expect((await readdir(base)).sort()).toEqual(['code', fingerprint].sort());
    expect((await cacheFile(project))!.bytes.equals(kept)).toBe(true);
  });
});
