/** The command line as authors run it: through the launcher, with exit codes and messages. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_COURSE, sampleCourseWith } from './support/course.ts';

const LAUNCHER = join(import.meta.dirname, '../src/launcher.js');
const run = (...args: string[]) => spawnSync(process.execPath, [LAUNCHER, ...args], { encoding: 'utf8' });
/** Runs in the folder that holds the course, as an author does: paths print as `course/…`. */
const runIn = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [LAUNCHER, ...args], { encoding: 'utf8', cwd });

describe('coursepack command line', () => {
  it('check: a good course passes with a summary and exit 0', () => {
    const result = run('check', SAMPLE_COURSE);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^✓ Sample Course: 2 modules, 6 pages, 12 interactions — 0 errors, 0 warnings \(\d+ ms\)$/m);
    expect(result.status).toBe(0);
  });

  it('build: progress per stage, every package with its size, exit 0', async () => {
    const out = await mkdtemp(join(tmpdir(), 'coursepack-cli-'));
    const result = run('build', SAMPLE_COURSE, '--out', out, '--target', 'scorm12,web');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/compiled 6 pages, 12 interactions/);
    expect(result.stdout).toMatch(/sample-course-scorm12\.zip\s+\d+\.\d KB/);
    expect(result.stdout).toMatch(/✓ Sample Course: 2 modules, 6 pages, 6 questions, 12 interactions/);
    expect((await readdir(out)).sort()).toEqual(['sample-course-scorm12.zip', 'sample-course-web']);
  });

  it('a broken course: every problem as file:line:column with a hint, exit 1, nothing written', async () => {
    const course = await sampleCourseWith({
      '01-basics/01-lesson.md': '---\nid: lesson-one\ncolour: red\n---\n# L\n\n:::nope\n:::\n',
    });
    const out = await mkdtemp(join(tmpdir(), 'coursepack-cli-'));
    const result = runIn(join(course, '..'), 'build', 'course', '--out', out);
    expect(result.status).toBe(1);
    expect(result.stderr.split('\n')).toContain('course/01-basics/01-lesson.md:3:1: error: Unknown key `colour` [unknown-key]');
    expect(result.stderr).toContain('course/01-basics/01-lesson.md:7:1: error: Unknown block `nope` [unknown-directive]\n    hint: Known blocks:');
    expect(result.stderr).toContain('2 errors, 0 warnings');
    expect(result.stderr).toContain('nothing was written');
    expect(await readdir(out)).toEqual([]);
  });

  it('an unknown target is refused with the list of targets', () => {
    const result = run('build', SAMPLE_COURSE, '--target', 'scorm3');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('error: unknown target `scorm3`');
    expect(result.stderr).toContain('hint: use one or more of scorm12, scorm2004, xapi, cmi5, web, cc');
  });
});
