/**
 * The xAPI and cmi5 packages: tincan.xml, cmi5.xml (valid against the cmi5 XSD), the CSP that
 * lets the runtime reach an LRS known only at launch, no credentials inside, and the zips a build
 * writes.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Element, Root } from 'xast';
import { fromXml } from 'xast-util-from-xml';
import { build, type BuildResult } from '../../src/build.ts';
import { compileCourse } from '../../src/compile/compile.ts';
import type { CompiledCourse } from '../../src/model.ts';
import { cmi5 } from '../../src/targets/cmi5.ts';
import { xapi } from '../../src/targets/xapi.ts';
import { SAMPLE_COURSE } from '../support/course.ts';
import { readZip } from '../support/unzip.ts';
import { validateCmi5CourseStructure } from '../support/xml/validate.ts';

let compiled: CompiledCourse;
const xml = async (target: typeof xapi, c = compiled) => String((await target.extraFiles(c, ['index.html'])).get(target === xapi ? 'tincan.xml' : 'cmi5.xml'));
const withCourse = (patch: Partial<CompiledCourse['course']>): CompiledCourse => ({ ...compiled, course: { ...compiled.course, ...patch } });

/** The child element of that name: the root element when `parent` is the parsed document. */
function child(parent: Root | Element, name: string): Element {
  const found = parent.children.find((node) => node.type === 'element' && node.name === name);
  if (found?.type !== 'element') throw new Error(`no <${name}>`);
  return found;
}
/** An element's attributes and its text, to compare in one go. */
const attributesAndText = (element: Element) => ({
  ...element.attributes,
  text: element.children.map((node) => (node.type === 'text' ? node.value : '')).join(''),
});

beforeAll(async () => {
  const result = await compileCourse(SAMPLE_COURSE);
  expect(result.diagnostics.errors).toEqual([]);
  compiled = result.compiled!;
});

describe('tincan.xml', () => {
  it('names the course activity: id = course IRI, type course, name, description, launch page', async () => {
    const tincan = child(fromXml(await xml(xapi)), 'tincan');
    expect(tincan.attributes.xmlns).toBe('http://projecttincan.com/tincan.xsd');
    const a = child(child(tincan, 'activities'), 'activity');
    expect(a.attributes.id).toBe('https://courses.example.com/sample-course');
    expect(a.attributes.type).toBe('http://adlnet.gov/expapi/activities/course');
    expect(attributesAndText(child(a, 'name'))).toEqual({ lang: 'en', text: 'Sample Course' });
    expect(attributesAndText(child(a, 'description'))).toEqual({ lang: 'en', text: 'A small course that uses every block type.' });
    expect(attributesAndText(child(a, 'launch'))).toEqual({ lang: 'en', text: 'index.html' });
  });

  it('escapes what the author wrote: it reads back as written', async () => {
    const text = await xml(xapi, withCourse({ title: 'Q&A <basics>', description: '"Quotes" & more' }));
    expect(text).not.toContain('<basics>');
    const a = child(child(child(fromXml(text), 'tincan'), 'activities'), 'activity');
    expect(attributesAndText(child(a, 'name')).text).toBe('Q&A <basics>');
    expect(attributesAndText(child(a, 'description')).text).toBe('"Quotes" & more');
  });
});

describe('cmi5.xml', () => {
  it('is valid against the cmi5 CourseStructure XSD, with course, one AU, langstrings and launch settings', async () => {
    const text = await xml(cmi5);
    expect(await validateCmi5CourseStructure(text)).toEqual({ valid: true, errors: [] });
    const structure = child(fromXml(text), 'courseStructure');
    const course = child(structure, 'course');
    const au = child(structure, 'au');
    expect(course.attributes.id).toBe('https://courses.example.com/sample-course');
    expect(attributesAndText(child(child(course, 'title'), 'langstring'))).toEqual({ lang: 'en', text: 'Sample Course' });
    expect(attributesAndText(child(child(course, 'description'), 'langstring')).text).toBe('A small course that uses every block type.');
    expect(au.attributes.id).toBe('https://courses.example.com/sample-course/au');
    expect(au.attributes.id).not.toBe(course.attributes.id);
    expect(au.attributes.moveOn).toBe('CompletedAndPassed');
    expect(au.attributes.masteryScore).toBe('0.8');
    expect(au.attributes.launchMethod).toBe('AnyWindow');
    expect(attributesAndText(child(au, 'url')).text).toBe('index.html');
  });

  it('moveOn Completed and no masteryScore without a scoring rule; mastery rounded to 4 decimals', async () => {
    const plain = await xml(cmi5, withCourse({ scoring: null }));
    expect(await validateCmi5CourseStructure(plain)).toEqual({ valid: true, errors: [] });
    expect(plain).toContain('moveOn="Completed"');
    expect(plain).not.toContain('masteryScore');
    const odd = await xml(cmi5, withCourse({ scoring: { quiz: 'final-quiz', mastery: 2 / 3 } }));
    expect(odd).toContain('masteryScore="0.6667"');
    expect(await validateCmi5CourseStructure(odd)).toEqual({ valid: true, errors: [] });
  });

  it('keeps the language tag of the course', async () => {
    const text = await xml(cmi5, withCourse({ language: 'en-GB' }));
    expect(await validateCmi5CourseStructure(text)).toEqual({ valid: true, errors: [] });
    expect(text).toContain('<langstring lang="en-GB">');
  });
});

describe('built packages', () => {
  let out: string;
  let result: BuildResult;
  const zips: Record<string, Record<string, Buffer>> = {};
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'coursepack-xapi-'));
    result = await build({ courseDir: SAMPLE_COURSE, outDir: out, targets: ['xapi', 'cmi5'] });
    expect(result.diagnostics.errors).toEqual([]);
    for (const t of ['xapi', 'cmi5']) zips[t] = Object.fromEntries(readZip(await readFile(join(out, `sample-course-${t}.zip`))).map((e) => [e.name, e.data]));
  });

  it('writes dist/<slug>-xapi.zip and dist/<slug>-cmi5.zip with the manifest at the root', () => {
    expect(result.packages.map((p) => p.name)).toEqual(['sample-course-cmi5.zip', 'sample-course-xapi.zip']);
    expect(Object.keys(zips.xapi)).toEqual(expect.arrayContaining(['tincan.xml', 'index.html', 'runtime.js', 'course.js', 'pages/final-quiz.html']));
    expect(Object.keys(zips.cmi5)).toEqual(expect.arrayContaining(['cmi5.xml', 'index.html', 'runtime.js', 'course.js']));
  });

  it('lets the runtime reach the LRS of the launch (connect-src), and nothing else loosens', () => {
    for (const t of ['xapi', 'cmi5']) {
      const csp = (zips[t]['index.html'].toString('utf8').match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1] ?? '').replaceAll('&#x27;', "'");
      expect(csp, t).toContain("connect-src 'self' https: http:");
      expect(csp, t).toContain("script-src 'self'");
      expect(csp, t).not.toMatch(/unsafe-inline|unsafe-eval/);
    }
  });

  it('holds no LRS credentials and no endpoint', () => {
    for (const t of ['xapi', 'cmi5']) {
      for (const [path, bytes] of Object.entries(zips[t]).filter(([p]) => /\.(js|html|xml|json)$/.test(p))) {
        const text = bytes.toString('utf8');
        expect(text, `${t}/${path}`).not.toMatch(/Basic [A-Za-z0-9+/]{12,}={0,2}/);
        expect(text, `${t}/${path}`).not.toMatch(/"(endpoint|auth|password)"\s*:/);
      }
    }
  });
});
