/** The command line as authors run it: the packed `dist/tool/cli.cjs`, with exit codes and messages. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../src/build.ts';
import { compileCourse } from '../src/compile/compile.ts';
import { LAYOUTS, layoutKey } from '../src/render/theme.ts';
import { SAMPLE_COURSE, sampleCourseWith } from './support/course.ts';

const CLI = join(import.meta.dirname, '../dist/tool/cli.cjs');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
/** Runs in the folder that holds the course, as an author does: paths print as `course/…`. */
const runIn = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd });

describe('coursepack command line', () => {
  it('reports every schema error as the sources do (its validators are compiled in advance)', async () => {
    const course = await sampleCourseWith({
      'course.yml': 'id: not an iri\ntitle: ""\nlanguage: 1\ntargets: [scorm12, scorm12, moodle]\ncolour: red\n'
        + 'completion: { pages: some }\nscoring: { mastery: 120 }\nreporting: { exit: later }\nassistant: { url: "http://x" }\n',
      '01-basics/index.md': '---\nid: 1basics\ntitle: 2\nicon: x\n---\n',
      '01-basics/01-lesson.md': '---\nid: lesson-one\ntype: essay\npass: -1\nattempts: 1.5\nshuffle: maybe\ndraw: 0\n---\n# L\n',
    });
    const result = runIn(join(course, '..'), 'check', 'course');
    const packed = [...result.stderr.matchAll(/^course\/(.+?):(\d+):(\d+): error: (.*) \[(invalid-setting|unknown-key)\]$/gm)]
      .map(([, file, line, column, message, rule]) => `${file}:${line}:${column} ${rule} ${message}`);
    const sources = (await compileCourse(course)).diagnostics.errors
      .filter((d) => d.rule === 'invalid-setting' || d.rule === 'unknown-key')
      .map((d) => `${d.file}:${d.line}:${d.column} ${d.rule} ${d.message}`);
    expect(sources.length).toBeGreaterThanOrEqual(15);
    // The command line prints them in the order of their places.
    expect(packed.sort()).toEqual(sources.sort());
  });

  it('builds every package byte for byte as the sources do (its layouts are precompiled)', async () => {
    const tool = await readFile(join(CLI, '../coursepack.cjs'), 'utf8');
    for (const [name, options] of Object.entries(LAYOUTS)) {
      const source = await readFile(join(import.meta.dirname, `../themes/default/${name}.hbs`), 'utf8');
      expect(tool, `themes/default/${name}.hbs precompiled`).toContain(layoutKey(source, options));
    }
    const packed = await mkdtemp(join(tmpdir(), 'coursepack-packed-'));
    const sources = await mkdtemp(join(tmpdir(), 'coursepack-sources-'));
    expect(run('build', SAMPLE_COURSE, '--out', packed, '--no-cache', '--target', 'scorm2004,web,cc').status).toBe(0);
    await build({ courseDir: SAMPLE_COURSE, outDir: sources, targets: ['scorm2004', 'web', 'cc'] });
    const files = async (dir: string) => Promise.all((await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile()).map(async (e) => [join(e.parentPath, e.name).slice(dir.length), await readFile(join(e.parentPath, e.name))]));
    const built = await files(packed);
    expect(built.length).toBeGreaterThan(10);
    expect(built).toEqual(await files(sources));
  });

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

describe('coursepack help, version and usage errors', () => {
  it('--version prints the package version', async () => {
    const { version } = JSON.parse(await readFile(join(import.meta.dirname, '../package.json'), 'utf8')) as { version: string };
    const result = run('--version');
    expect(result.stdout.trim()).toBe(version);
    expect(result.status).toBe(0);
  });

  it('help lists every command; help <command> lists its options', () => {
    const overview = run('help');
    for (const command of ['init', 'build', 'check', 'preview']) expect(overview.stdout).toMatch(new RegExp(`^  ${command} \\[`, 'm'));
    expect(run('help', 'build').stdout).toMatch(/Usage: coursepack build \[courseDir\] \[options\][\s\S]*--target, -t <list>[\s\S]*--out, -o <dir>/);
    const preview = run('preview', '--help');
    expect(preview.stdout).toMatch(/--port, -p <port>[\s\S]*--open/);
    expect(preview.status).toBe(0);
  });

  it('an option the command does not take is refused with a pointer to its help', () => {
    const result = run('check', SAMPLE_COURSE, '--out', 'x');
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("error: Unknown option '--out'\n    hint: see `coursepack help check`\n");
  });

  it('an unknown command is refused with the list of commands', () => {
    const result = run('bulid');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('error: unknown command `bulid`\n    hint: commands: init, build, check, preview');
  });
});

describe('coursepack init', () => {
  it('writes a starter course that checks clean, with the editor schema line first', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'coursepack-init-'));
    const result = runIn(parent, 'init', 'first-course');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('✓ a new course in first-course/');
    const config = await readFile(join(parent, 'first-course', 'course.yml'), 'utf8');
    const schema = /^# yaml-language-server: \$schema=(\S+)\n/.exec(config)?.[1];
    expect(schema).toBeDefined();
    expect(JSON.parse(await readFile(join(parent, 'first-course', schema!), 'utf8')).properties.targets).toBeDefined();
    expect(config).toContain('id: https://courses.example.com/first-course');
    const check = runIn(parent, 'check', 'first-course');
    expect(check.stderr).toBe('');
    expect(check.stdout).toMatch(/^✓ First course: 2 modules, \d+ pages, 7 interactions — 0 errors, 0 warnings/m);
  });

  it('refuses a folder that holds anything, and writes nothing into it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'coursepack-init-'));
    await writeFile(join(dir, 'notes.txt'), 'mine');
    const result = run('init', dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: .* is not empty: init writes only into a new or empty folder\n    hint: name a new folder/);
    expect(await readdir(dir)).toEqual(['notes.txt']);
  });
});
