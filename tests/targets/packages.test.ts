/**
 * The packages themselves: manifests valid against the official XSDs and listing every file, the
 * schema files at the root, byte-identical rebuilds, and a failed build that leaves dist/ alone.
 */
import { mkdtemp, readFile, readdir, writeFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/build.ts';
import { SAMPLE_COURSE, sampleCourseWith } from '../support/course.ts';
import { validateScorm12Manifest, validateScorm2004Manifest } from '../support/xml/validate.ts';
import { readZip } from '../support/unzip.ts';

let outDir: string;
let result: BuildResult;
const zips: Record<string, Record<string, Buffer>> = {};

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'coursepack-packages-'));
  result = await build({ courseDir: SAMPLE_COURSE, outDir });
  expect(result.diagnostics.errors).toEqual([]);
  for (const target of ['scorm12', 'scorm2004']) {
    const entries = readZip(await readFile(join(outDir, `sample-course-${target}.zip`)));
    zips[target] = Object.fromEntries(entries.map((e) => [e.name, e.data]));
  }
});

/** Every `<file href>` of a manifest. */
const listedFiles = (manifest: string) => [...manifest.matchAll(/<file href="([^"]+)"/g)].map((m) => m[1]).sort();

describe('packages', () => {
  it('builds one zip per SCORM version and a web folder', () => {
    expect(result.packages.map((p) => p.name)).toEqual(
      ['sample-course-scorm12.zip', 'sample-course-scorm2004.zip', 'sample-course-web']);
  });

  it('SCORM 1.2 manifest is valid against the ADL/IMS schemas', async () => {
    const manifest = String(zips.scorm12['imsmanifest.xml']);
    expect(await validateScorm12Manifest(manifest)).toEqual({ valid: true, errors: [] });
    expect(manifest).toContain('<schemaversion>1.2</schemaversion>');
    expect(manifest).toContain('adlcp:scormtype="sco"');
    expect(manifest).toContain('<adlcp:masteryscore>80</adlcp:masteryscore>');
  });

  it('SCORM 2004 manifest is valid against the 4th edition schemas', async () => {
    const manifest = String(zips.scorm2004['imsmanifest.xml']);
    expect(await validateScorm2004Manifest(manifest)).toEqual({ valid: true, errors: [] });
    expect(manifest).toContain('<schemaversion>2004 4th Edition</schemaversion>');
    expect(manifest).toContain('adlcp:scormType="sco"');
    expect(manifest).toMatch(/satisfiedByMeasure="true">\s*<imsss:minNormalizedMeasure>0.8</);
  });

  it('manifests list every file of the package, and only those', () => {
    for (const target of ['scorm12', 'scorm2004']) {
      const entries = Object.keys(zips[target]);
      const content = entries.filter((e) => e !== 'imsmanifest.xml' && !/\.(xsd|dtd)$/.test(e)).sort();
      expect(listedFiles(String(zips[target]['imsmanifest.xml']))).toEqual(content);
      expect(content).toContain('index.html');
      expect(content).toContain('runtime.js');
      expect(content).toContain('pages/final-quiz.html');
      expect(content).toContain('assets/01-basics/images/funnel.svg');
    }
  });

  it('ships the official schema files at the zip root', () => {
    expect(Object.keys(zips.scorm12)).toEqual(expect.arrayContaining(
      ['imscp_rootv1p1p2.xsd', 'adlcp_rootv1p2.xsd', 'imsmd_rootv1p2p1.xsd', 'ims_xml.xsd']));
    expect(Object.keys(zips.scorm2004)).toEqual(expect.arrayContaining(
      ['imscp_v1p1.xsd', 'adlcp_v1p3.xsd', 'adlseq_v1p3.xsd', 'adlnav_v1p3.xsd', 'imsss_v1p0.xsd', 'xml.xsd']));
  });

  it('forbids inline and remote script with a Content-Security-Policy', () => {
    const shell = String(zips.scorm12['index.html']);
    const csp = (shell.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1] ?? '').replaceAll('&#x27;', "'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    for (const [path, bytes] of Object.entries(zips.scorm12).filter(([p]) => p.endsWith('.html'))) {
      const html = String(bytes);
      expect(html, path).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html, path).not.toMatch(/\son[a-z]+=/i);
    }
  });

  it('rebuilds byte-identical zips from the same input', async () => {
    const again = await mkdtemp(join(tmpdir(), 'coursepack-again-'));
    await build({ courseDir: SAMPLE_COURSE, outDir: again, targets: ['scorm12', 'scorm2004'] });
    for (const name of ['sample-course-scorm12.zip', 'sample-course-scorm2004.zip']) {
      const [first, second] = await Promise.all([readFile(join(outDir, name)), readFile(join(again, name))]);
      expect(second.equals(first), name).toBe(true);
    }
  });

  it('a failed build leaves the previous output untouched', async () => {
    const dist = await mkdtemp(join(tmpdir(), 'coursepack-dist-'));
    await build({ courseDir: SAMPLE_COURSE, outDir: dist, targets: ['scorm12'] });
    const zip = join(dist, 'sample-course-scorm12.zip');
    await writeFile(join(dist, 'keep.txt'), 'mine');
    const before = await readFile(zip);
    const broken = await sampleCourseWith({ '01-basics/01-lesson.md': '---\nid: lesson-one\n---\n# X\n\n:::nope\n:::\n' });
    const failed = await build({ courseDir: broken, outDir: dist, targets: ['scorm12'] });
    expect(failed.compiled).toBeNull();
    expect(failed.diagnostics.errors.length).toBeGreaterThan(0);
    expect((await readFile(zip)).equals(before)).toBe(true);
    expect(await readFile(join(dist, 'keep.txt'), 'utf8')).toBe('mine');
    expect((await readdir(dist)).sort()).toEqual(['keep.txt', 'sample-course-scorm12.zip']);
    expect((await stat(zip)).size).toBe(before.length);
  });
});
