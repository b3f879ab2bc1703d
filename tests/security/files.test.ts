/**
 * Files that must never reach a package: anything outside the course folder (through symbolic
 * links too), and files that run script when opened in the LMS's origin. SVG images are packaged
 * rebuilt from their safe parts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sanitiseSvg } from '../../src/svg.ts';
import { readZip } from '../support/unzip.ts';
import { SAMPLE_COURSE } from '../support/course.ts';
import { buildWith, failedBuild, lesson, snapshot } from './support.ts';

const SECRET = 'TOKEN=s3cr3t-planted-value';

/** A secret file next to (outside) the course folder. */
async function plantSecret(course: string): Promise<string> {
  const file = join(course, '..', 'secret.env');
  await writeFile(file, `${SECRET}\n`);
  return file;
}

describe('symbolic links out of the course folder', () => {
  const cases: [string, (course: string, secret: string) => Promise<void>, string][] = [
    ['a page', (c, s) => symlink(s, join(c, '01-basics/03-leak.md')),
      '01-basics/03-leak.md:1:1: error: `01-basics/03-leak.md` links to a file outside the course folder, or to none [outside-course]'],
    ['a module index.md', async (c, s) => {
      await mkdir(join(c, '03-leak'));
      await writeFile(join(c, '03-leak/01-page.md'), '# Page\n\nText.\n');
      await symlink(s, join(c, '03-leak/index.md'));
    }, '03-leak/index.md:1:1: error: `03-leak/index.md` links to a file outside the course folder, or to none [outside-course]'],
    ['course.yml', async (c, s) => {
      await writeFile(s, `${await readFile(join(SAMPLE_COURSE, 'course.yml'), 'utf8')}description: ${SECRET}\n`);
      await rm(join(c, 'course.yml'));
      await symlink(s, join(c, 'course.yml'));
    }, 'course.yml:1:1: error: `course.yml` links to a file outside the course folder, or to none [outside-course]'],
    ['an image', (c, s) => symlink(s, join(c, '01-basics/images/leak.png')),
      '01-basics/01-lesson.md:7:1: error: Image `images/leak.png` is outside the course folder and is refused [asset-outside-course]'],
    ['a linked file', (c, s) => symlink(s, join(c, '01-basics/leak.txt')),
      '01-basics/01-lesson.md:9:1: error: Link `leak.txt` points outside the course folder [broken-link]'],
    ['a module folder', async (c, s) => {
      const outside = join(s, '..', 'outside-module');
      await mkdir(outside);
      await writeFile(join(outside, 'index.md'), `---\ntitle: ${SECRET}\n---\n`);
      await writeFile(join(outside, '01-page.md'), `# ${SECRET}\n`);
      await symlink(outside, join(c, '03-leak'));
    }, '03-leak:1:1: error: `03-leak` is a link to a folder outside the course folder [outside-course]'],
  ];

  for (const [what, plant, error] of cases) {
    it(`${what}: refused at its place, the secret in no output`, async () => {
      const pages = { '01-basics/01-lesson.md': lesson('![A leak](images/leak.png)\n\n[Notes](leak.txt)') };
      const needsPage = what === 'an image' || what === 'a linked file';
      const built = await buildWith(needsPage ? pages : {}, async (course) => plant(course, await plantSecret(course)));
      expect(built.lines('error')).toContain(error);
      expect(built.result.compiled).toBeNull();
      const output = JSON.stringify([await snapshot(built.outDir), built.result.diagnostics.items]);
      expect(output).not.toContain('s3cr3t');
      expect(await snapshot(built.outDir)).toEqual({ 'sample-course-scorm12.zip': 'the previous build' });
    });
  }

  it('a link that stays inside the course folder is followed', async () => {
    const built = await buildWith({ '01-basics/01-lesson.md': lesson('![A copy](images/copy.svg)') }, (course) =>
      symlink(join(course, '01-basics/images/funnel.svg'), join(course, '01-basics/images/copy.svg')));
    expect(built.lines('error')).toEqual([]);
    expect(built.result.compiled!.assets).toContain('01-basics/images/copy.svg');
  });
});

describe('files that can run script when opened', () => {
  const payload = '<html><script>parent.pwned = 1</script></html>';
  const plant = async (course: string) => {
    for (const name of ['payload.html', 'payload.HTM', 'payload.xhtml', 'payload.xml', 'payload.js', 'payload']) {
      await writeFile(join(course, '01-basics', name), payload);
    }
  };

  it('links and images to them are refused with the reason', async () => {
    const errors = await failedBuild({
      '01-basics/01-lesson.md': lesson([
        '[a](payload.html) [b](payload.HTM) [c](payload%2Exhtml)',
        '',
        '![d](payload.xml)',
        '',
        '[e][ref] [f](payload)',
        '',
        '[ref]: ./payload.js',
      ].join('\n')),
    }, plant);
    expect(errors).toEqual([
      '01-basics/01-lesson.md:7:1: error: `payload.html` is refused: an HTML file can run script in the LMS when it is opened [active-file]',
      '01-basics/01-lesson.md:7:19: error: `payload.HTM` is refused: an HTML file can run script in the LMS when it is opened [active-file]',
      '01-basics/01-lesson.md:7:36: error: `payload%2Exhtml` is refused: an XHTML file can run script in the LMS when it is opened [active-file]',
      '01-basics/01-lesson.md:9:1: error: `payload.xml` is refused: an XML file can run script in the LMS when it is opened [active-file]',
      '01-basics/01-lesson.md:11:10: error: `payload` is not a type of file that is packaged [file-type]',
      '01-basics/01-lesson.md:13:1: error: `./payload.js` is refused: a script can run script in the LMS when it is opened [active-file]',
    ]);
  });

  it('an SVG image is packaged without script, handlers, foreignObject or external references', async () => {
    const svg = [
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" onload="parent.pwned=1">',
      '<script>parent.pwned = 2</script><style>@import url(https://evil.example/x.css);</style>',
      '<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:parent.pwned=3"/></foreignObject>',
      '<a href="javascript:parent.pwned=4"><rect width="5" height="5" fill="url(https://evil.example/p)"/></a>',
      '<use xlink:href="https://evil.example/s.svg#x"/><use href="#c"/><image href="https://evil.example/t.png"/>',
      '<circle id="c" r="4" fill="url(#g)" style="fill: url(&quot;https://evil.example/q&quot;)"/><title>A dot</title>',
      '</svg>',
    ].join('\n');
    const built = await buildWith({ '01-basics/01-lesson.md': lesson('![A dot](images/dot.svg)\n\n[The dot](images/dot.svg)'), '01-basics/images/dot.svg': svg },
      undefined, ['scorm12']);
    expect(built.lines('error')).toEqual([]);
    const zip = await readZip(await readFile(join(built.outDir, 'sample-course-scorm12.zip')));
    const packaged = zip.find((e) => e.name === 'assets/01-basics/images/dot.svg')!.data.toString('utf8');
    expect(packaged).toBe([
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">',
      // The link and everything in it are left out, with the other unsafe elements.
      '\n\n\n\n<use></use><use href="#c"></use>',
      '\n<circle id="c" r="4" fill="url(#g)"></circle><title>A dot</title>',
      '\n</svg>\n',
    ].join(''));
  });

  it('an SVG file that does not parse is refused at the image', async () => {
    const errors = await failedBuild({ '01-basics/01-lesson.md': lesson('![Broken](images/broken.svg)'), '01-basics/images/broken.svg': '<svg><path></svg>' });
    expect(errors).toEqual(['01-basics/01-lesson.md:7:1: error: `images/broken.svg` is not a valid SVG file: Unexpected close tag (its line 1) [invalid-svg]']);
  });

  it('the sanitiser keeps an ordinary drawing as it is', () => {
    const funnel = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80" viewBox="0 0 120 80"><path d="M0 0h120L80 80H40z" fill="#0b5cad"/></svg>';
    expect(sanitiseSvg(funnel)).toEqual({ svg: `${funnel.replace('/>', '></path>')}\n` });
  });
});

describe('an internal error', () => {
  it('prints one line asking for a report, no stack trace, exit 2', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'coursepack-cli-')), 'a-file');
    await writeFile(out, 'not a folder');
    const cli = join(import.meta.dirname, '../../dist/tool/cli.cjs');
    const result = spawnSync(process.execPath, [cli, 'build', SAMPLE_COURSE, '--out', out, '--target', 'web', '--no-cache'], {
      encoding: 'utf8', env: { ...process.env, COURSEPACK_DEBUG: '' },
    });
    expect(result.status).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^internal error: .+ — a bug in coursepack, not in your course; please report it \(COURSEPACK_DEBUG=1 prints the details\)$/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
