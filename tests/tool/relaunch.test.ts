/**
 * On two cores, a command that compiles every page starts Node again with one V8 helper thread
 * (src/relaunch.ts): which commands do, and that such a command says and exits as one run in place.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wantsOneHelper, type Situation } from '../../src/relaunch.ts';
import { sampleCourseWith } from '../support/course.ts';

const CLI = join(import.meta.dirname, '../../dist/tool/cli.cjs');

/** A project folder holding the sample course (with `files` changed) at `course/`, and a node_modules. */
async function sampleProject(files?: Parameters<typeof sampleCourseWith>[0]): Promise<string> {
  const project = join(await sampleCourseWith(files), '..');
  await mkdir(join(project, 'node_modules'));
  return project;
}

const on = (args: string[], more: Partial<Situation> = {}) =>
  wantsOneHelper({ args, cores: 2, nodeOptions: [], hasBuildCache: () => true, ...more });

describe('relaunching with one V8 helper thread', () => {
  it('is for commands that compile every page, on two cores or fewer', () => {
    expect(on(['check', 'course'])).toBe(true);
    expect(on(['build', 'course', '--no-cache'])).toBe(true);
    expect(on(['build'], { hasBuildCache: () => false })).toBe(true); // a project's first build
    expect(on(['check', 'course'], { cores: 1 })).toBe(true);
  });

  it('is not for a rebuild, other commands, more cores, a pool size set already or the inspector', () => {
    expect(on(['build', 'course'])).toBe(false); // the build cache is there
    for (const args of [['preview', 'course'], ['init', 'x'], ['--version'], ['help', 'build'], []]) {
      expect(on(args, { hasBuildCache: () => false })).toBe(false);
    }
    expect(on(['check', 'course'], { cores: 4 })).toBe(false);
    expect(on(['check', 'course'], { nodeOptions: ['--v8-pool-size=2'] })).toBe(false);
    expect(on(['check', 'course'], { nodeOptions: ['--max-old-space-size=512 --v8-pool-size=4'] })).toBe(false);
    expect(on(['check', 'course'], { nodeOptions: ['--inspect-brk'] })).toBe(false);
    expect(on(['check', 'course'], { nodeOptions: ['--import=x', '--inspect=9230'] })).toBe(false);
    expect(on(['check', 'course'], { nodeOptions: ['--import=x', ''] })).toBe(true);
  });

  it('leaves what the command prints and its exit code as they are', async () => {
    const project = await sampleProject({ '01-basics/01-lesson.md': '---\nid: lesson-one\ncolour: red\n---\n# L\n\n:::nope\nx\n:::\n' });
    const run = (env: NodeJS.ProcessEnv, ...args: string[]) =>
      spawnSync(process.execPath, [CLI, ...args], { cwd: project, encoding: 'utf8', env: { ...process.env, ...env } });
    // NODE_OPTIONS that name a pool size: never relaunched.
    const inPlace = run({ NODE_OPTIONS: '--v8-pool-size=4' }, 'check', 'course');
    const relaunched = run({}, 'check', 'course');
    expect(inPlace.status).toBe(1);
    expect(relaunched.status).toBe(inPlace.status);
    expect(relaunched.stderr).toContain('unknown-directive');
    expect(relaunched.stderr.replace(/\d+ ms/g, 'N ms')).toBe(inPlace.stderr.replace(/\d+ ms/g, 'N ms'));
    expect(relaunched.stdout.replace(/\d+ ms/g, 'N ms')).toBe(inPlace.stdout.replace(/\d+ ms/g, 'N ms'));
  });

  it('starts the second Node without NODE_EXTRA_CA_CERTS, which it has no use for', async () => {
    const project = await sampleProject();
    // Node warns at start when it cannot read the file: once, from the first Node only.
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: join(project, 'no-such-certificates.pem') };
    const checked = spawnSync(process.execPath, [CLI, 'check', 'course'], { cwd: project, encoding: 'utf8', env });
    expect(checked.status).toBe(0);
    expect(checked.stderr.match(/Ignoring extra certs from/g)).toHaveLength(1);
  });

  it('a first build relaunched writes every package, and the next one runs in place from the cache', async () => {
    const project = await sampleProject();
    const build = () => spawnSync(process.execPath, [CLI, 'build', 'course'], { cwd: project, encoding: 'utf8' });
    const first = build();
    expect(first.status).toBe(0);
    expect((await readdir(join(project, 'dist'))).length).toBeGreaterThanOrEqual(2);
    const second = build();
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('up to date');
  });
});
