/**
 * coursepack as an author gets it: `npm pack`, installed into an empty project outside the repo,
 * then `init`, `check` and `build` through `npx`. Slow (an npm install from the local cache).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '../..');
const npm = (cwd: string, ...args: string[]) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });

interface PackResult {
  filename: string;
  size: number;
  files: { path: string }[];
}

let packed: PackResult;
let project: string;

beforeAll(async () => {
  const out = await mkdtemp(join(tmpdir(), 'coursepack-pack-'));
  // `prepack` packs the tool first and prints a line of its own before npm's JSON.
  const output = npm(REPO, 'pack', '--json', '--pack-destination', out);
  [packed] = JSON.parse(output.slice(output.search(/^\[/m))) as PackResult[];
  project = await mkdtemp(join(tmpdir(), 'coursepack-user-'));
  npm(project, 'init', '-y');
  npm(project, 'install', '--prefer-offline', '--no-audit', '--no-fund', join(out, packed!.filename));
}, 300_000);

describe('the npm package', () => {
  it('holds the compiled command line, runtime bundles, themes and schemas, and nothing of the repo', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toContain('dist/tool/cli.cjs');
    for (const entry of ['scorm12', 'scorm2004', 'xapi', 'cmi5', 'web']) expect(paths).toContain(`dist/tool/runtime/${entry}.js`);
    expect(paths).toContain('dist/tool/course.schema.json');
    expect(paths).toContain('themes/default/theme.css');
    expect(paths).toContain('src/targets/xsd/scorm12edition/imscp_rootv1p1p2.xsd');
    expect(paths.filter((p) => /^(tests|course|\.ci)\//.test(p) || p.endsWith('.ts'))).toEqual([]);
    expect(packed.size).toBeLessThanOrEqual(1024 * 1024);
  });

  it('installs no dev tooling into the author\'s project', async () => {
    const installed = await readdir(join(project, 'node_modules'));
    for (const tool of ['vitest', 'playwright-core', 'typescript', 'tsx', 'esbuild', 'xapi-statements']) {
      expect(installed).not.toContain(tool);
    }
  });

  it('npx coursepack init, check and build make every package of the starter course, the cartridge too', async () => {
    const npx = (...args: string[]) => execFileSync('npx', ['--no-install', 'coursepack', ...args], { cwd: project, encoding: 'utf8' });
    expect(npx('--version').trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(npx('init', 'my-course')).toContain('✓ a new course in my-course/');
    expect(npx('check', 'my-course')).toMatch(/✓ My course: 2 modules/);
    npx('build', 'my-course');
    expect((await readdir(join(project, 'dist'))).sort()).toEqual([
      'my-course-cc.imscc', 'my-course-cmi5.zip', 'my-course-scorm12.zip', 'my-course-scorm2004.zip', 'my-course-web', 'my-course-xapi.zip',
    ]);
  });
});
