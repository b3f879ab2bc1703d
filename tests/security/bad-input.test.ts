/**
 * One test per class of broken input: the exact place and message the author sees, and after
 * every failure the previous build in the output folder untouched. Classes where the course still
 * works as written get a warning and build.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCourse } from '../../src/compile/compile.ts';
import { SAMPLE_COURSE } from '../support/course.ts';
import { buildWith, failedBuild, lesson } from './support.ts';
import { pageHtml } from '../support/page-html.ts';

const sample = (path: string) => readFile(join(SAMPLE_COURSE, path), 'utf8');
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

describe('input that crashed the build', () => {
  it('a YAML alias bomb in course.yml is refused at its first alias', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const errors = await failedBuild({ 'course.yml': `${await sample('course.yml')}${bomb.join('\n')}\n` });
    expect(errors).toEqual(['course.yml:16:8: error: Invalid YAML: its aliases (`*name`) expand too far [yaml-aliases]']);
  });

  it('a folder named like a page', async () => {
    const errors = await failedBuild({}, (course) => mkdir(join(course, '01-basics/05-x.md')));
    expect(errors).toEqual(['01-basics/05-x.md:1:1: error: `01-basics/05-x.md` is a folder, not a Markdown file [unreadable-file]']);
  });

  it('20,000 nested quotes are refused before they overflow the parser', async () => {
    const errors = await failedBuild({ '01-basics/01-lesson.md': lesson(`${'>'.repeat(20_000)} deep`) });
    expect(errors).toEqual(['01-basics/01-lesson.md:7:101: error: Quotes and lists are nested more than 100 levels deep [nesting-too-deep]']);
  });
});

describe('input that took minutes', () => {
  it('one 3.6 MB paragraph', async () => {
    const line = (i: number) => `Some **bold text ${i}** and [a link](https://example.com/${i}) in a long, long paragraph.`;
    const paragraph = Array.from({ length: 40_000 }, (_, i) => line(i)).join('\n');
    expect(paragraph.length).toBeGreaterThan(3_600_000);
    const errors = await failedBuild({ '01-basics/01-lesson.md': lesson(`Intro.\n\n${paragraph}`) });
    expect(errors).toEqual(['01-basics/01-lesson.md:9:1: error: More than 100,000 characters without a blank line [block-too-long]']);
  });

  it('a 3,000-deep nested list', async () => {
    const list = Array.from({ length: 3_000 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n');
    const errors = await failedBuild({ '01-basics/01-lesson.md': lesson(list) });
    expect(errors).toEqual([
      '01-basics/01-lesson.md:7:1: error: More than 100,000 characters without a blank line [block-too-long]',
      '01-basics/01-lesson.md:7:1: error: More than 1,000 list items and quoted lines with no paragraph between them [list-too-long]',
      '01-basics/01-lesson.md:107:201: error: Quotes and lists are nested more than 100 levels deep [nesting-too-deep]',
    ]);
  });

  it('one list of over 1,000 items', async () => {
    const list = Array.from({ length: 1_001 }, (_, i) => `- item ${i}`).join('\n\n');
    const errors = await failedBuild({ '01-basics/01-lesson.md': lesson(`Intro.\n\n${list}\n\nAfter.`) });
    expect(errors).toEqual(['01-basics/01-lesson.md:9:1: error: More than 1,000 list items and quoted lines with no paragraph between them [list-too-long]']);
  });

  it('a list of 1,000 items with a paragraph in the middle builds', async () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => `- item ${i}`).join('\n');
    const built = await buildWith({ '01-basics/01-lesson.md': lesson(`${list(600)}\n\nA paragraph.\n\n${list(600)}`) });
    expect(built.lines()).toEqual([]);
  });

  it('blocks opened inside each other and never closed', async () => {
    const errors = await failedBuild({ '01-basics/01-lesson.md': lesson(Array(12).fill(':::callout\nText').join('\n\n')) });
    expect(errors).toEqual(['01-basics/01-lesson.md:37:1: error: Blocks are nested more than 10 levels deep [blocks-too-deep]']);
  });

  it('over 200 link definitions', async () => {
    const definitions = Array.from({ length: 201 }, (_, i) => `[d${i}]: https://example.com/${i}`).join('\n');
    const errors = await failedBuild({ '01-basics/01-lesson.md': lesson(`See [d1].\n\n${definitions}`) });
    expect(errors).toEqual(['01-basics/01-lesson.md:209:1: error: More than 200 link or footnote definitions in one page [too-many-definitions]']);
  });

  it('long runs of emphasis markers', async () => {
    const errors = await failedBuild({ '01-basics/01-lesson.md': lesson(`Text ${'*'.repeat(5_000)}x${'*'.repeat(5_000)}`) });
    expect(errors).toEqual(['01-basics/01-lesson.md:7:6: error: A run of more than 100 `*` or `_` [delimiter-run]']);
  });
});

describe('input that was accepted silently', () => {
  it('a byte-order mark before front matter keeps the front matter and its id', async () => {
    const text = await sample('01-basics/01-lesson.md');
    const built = await buildWith({ '01-basics/01-lesson.md': `\uFEFF${text}` });
    expect(built.lines()).toEqual([]);
    expect(built.result.compiled!.course.pages.map((p) => p.id)).toContain('lesson-one');
    expect(built.result.compiled!.course.pages.find((p) => p.id === 'lesson-one')!.title).toBe('Lesson 1: Blocks');
  });

  it('`name:value` in prose stays text; an inline directive with a label or attributes warns', async () => {
    const built = await buildWith({ '01-basics/01-lesson.md': lesson('Ratio time:value and note:this.\n\nSee :abbr[HTML]{title="Hypertext"}.') });
    expect(built.lines()).toEqual([
      '01-basics/01-lesson.md:9:5: warning: `:abbr` is shown as written: there are no inline directives [inline-directive]',
    ]);
    const compiled = built.result.compiled!;
    const html = pageHtml(compiled, compiled.course.pages.find((p) => p.id === 'lesson-one')!);
    expect(html).toContain('Ratio time:value and note:this.');
    expect(html).toContain('See :abbr[HTML]{title="Hypertext"}.');
  });

  it('raw HTML is dropped with a warning', async () => {
    const built = await buildWith({ '01-basics/01-lesson.md': lesson('<div onclick="x()">Hi</div>\n\nText <b>bold</b>.\n\n<!-- a note -->') });
    expect(built.lines()).toEqual([
      '01-basics/01-lesson.md:7:1: warning: Raw HTML is not allowed and is left out: `<div onclick="x()">Hi</div>` [raw-html]',
      '01-basics/01-lesson.md:9:6: warning: Raw HTML is not allowed and is left out: `<b>` [raw-html]',
    ]);
    const compiled = built.result.compiled!;
    expect(pageHtml(compiled, compiled.course.pages.find((p) => p.id === 'lesson-one')!)).not.toMatch(/onclick|<div>Hi/);
  });

  it('malformed directive attributes', async () => {
    const errors = await failedBuild({ '01-basics/01-lesson.md': lesson(':::response{#r1 rows="8}\nWrite.\n:::') });
    expect(errors).toEqual([
      '01-basics/01-lesson.md:7:1: error: `:::response` does not open a block: the rest of its line does not parse [malformed-directive]',
    ]);
  });

  it('an unclosed block in mid-page', async () => {
    const errors = await failedBuild({ '01-basics/01-lesson.md': lesson(':::callout{kind=tip}\nA tip.\n\n## Next part\n\nMore text.') });
    expect(errors).toEqual(['01-basics/01-lesson.md:7:1: error: `:::callout` is never closed [unclosed-block]']);
  });

  it('block ids that clash with the shell\'s element ids', async () => {
    const errors = await failedBuild({ '01-basics/01-lesson.md': lesson(':::response{#page}\nWrite.\n:::\n\n:::response{#prev}\nMore.\n:::') });
    expect(errors).toEqual([
      '01-basics/01-lesson.md:7:1: error: Block id `page` gives the element id `cp-page`, which the course shell already uses [reserved-id]',
      '01-basics/01-lesson.md:11:1: error: Block id `prev` gives the element id `cp-prev`, which the course shell already uses [reserved-id]',
    ]);
  });

  it('a module id that clashes with an element id of the contents', async () => {
    const errors = await failedBuild({ '01-basics/index.md': '---\nid: toggle\ntitle: "Module 1: Basics"\n---\n# Introduction\n\nWhat this module covers.\n' });
    expect(errors).toEqual(['01-basics/index.md:1:1: error: Module id `toggle` gives the element id `cp-toc-toggle`, which the course shell already uses [reserved-id]']);
  });

  it('page ids that differ only in case', async () => {
    const errors = await failedBuild({ '01-basics/03-again.md': '---\nid: Plan\n---\n# Again\n\nText.\n' });
    expect(errors).toEqual(['01-basics/03-again.md:2:5: error: Page id `Plan` differs from `plan` (01-basics/02-workbook.md) only in case [duplicate-id]']);
  });

  it('module folder names with spaces or non-ASCII letters', async () => {
    const errors = await failedBuild({
      '03-my module/index.md': '---\ntitle: Spaced\n---\n',
      '03-my module/01-page.md': '---\nid: spaced-page\n---\n# Page\n\nText.\n',
      '04-café/index.md': '---\ntitle: Café\n---\n',
      '04-café/01-page.md': '---\nid: cafe-page\n---\n# Page\n\nText.\n',
    });
    expect(errors).toEqual([
      '03-my module/index.md:1:1: error: Module folder `03-my module` gives the module id `my module`, which is not valid [invalid-id]',
      '04-café/index.md:1:1: error: Module folder `04-café` gives the module id `café`, which is not valid [invalid-id]',
    ]);
  });

  it('a link to an anchor that does not exist', async () => {
    const built = await buildWith({ '01-basics/01-lesson.md': lesson('See [below](#nowhere), [the plan](#plan) and [its part](02-workbook.md#part).') });
    expect(built.result.compiled).toBeNull();
    expect(built.lines()).toEqual([
      '01-basics/01-lesson.md:7:5: error: Link to `#nowhere`: no page has this id [missing-anchor]',
      '01-basics/01-lesson.md:7:46: warning: `#part` is left out: pages have no anchors, so the link opens `02-workbook.md` at its top [missing-anchor]',
    ]);
  });

  it('a quiz with `pass: 0`', async () => {
    const quiz = (await sample('02-assessment/01-quiz.md')).replace('pass: 80', 'pass: 0');
    const errors = await failedBuild({ '02-assessment/01-quiz.md': quiz, 'course.yml': (await sample('course.yml')).replace('scoring:\n  quiz: final-quiz\n', '') });
    expect(errors).toEqual(['02-assessment/01-quiz.md:5:7: error: `pass: 0` passes every learner, even one with no right answer [invalid-setting]']);
  });

  it('bytes that are not UTF-8', async () => {
    const errors = await failedBuild({}, (course) =>
      writeFile(join(course, '01-basics/01-lesson.md'), bytes(lesson('Caf\0').split('\0')[0], [0xe9], ' au lait.\n')));
    expect(errors).toEqual(['01-basics/01-lesson.md:7:4: error: The file is not valid UTF-8 (byte 0xE9) [not-utf8]']);
  });

  it('a NUL byte', async () => {
    const errors = await failedBuild({}, (course) =>
      writeFile(join(course, '01-basics/01-lesson.md'), bytes(lesson('Text\0').split('\0')[0], [0], ' more.\n')));
    expect(errors).toEqual(['01-basics/01-lesson.md:7:5: error: The file contains a NUL byte: it is not a text file [binary-file]']);
  });

  it('a 200,000-character title', async () => {
    const long = 'T'.repeat(200_000);
    const errors = await failedBuild({
      '01-basics/01-lesson.md': lesson('Text.', `id: lesson-one\ntitle: ${long}`),
      '01-basics/02-workbook.md': (await sample('01-basics/02-workbook.md')).replace(/^# .*$/m, `# ${'W'.repeat(300)}`).replace(/^title: .*\n/m, ''),
      'course.yml': (await sample('course.yml')).replace('title: Sample Course', `title: ${long}`),
    });
    expect(errors).toEqual([
      '01-basics/01-lesson.md:3:8: error: The page title is 200,000 characters long; at most 200 are allowed [title-too-long]',
      '01-basics/02-workbook.md:5:1: error: The page title is 300 characters long; at most 200 are allowed [title-too-long]',
      'course.yml:2:8: error: The course title is 200,000 characters long; at most 200 are allowed [title-too-long]',
    ]);
  });
});

describe('what already worked keeps working', () => {
  it('a binary .md is refused', async () => {
    const errors = await failedBuild({}, (course) =>
      writeFile(join(course, '01-basics/01-lesson.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])));
    expect(errors).toEqual(['01-basics/01-lesson.md:3:1: error: The file contains a NUL byte: it is not a text file [binary-file]']);
  });

  it('CRLF line ends and a BOM in course.yml build the same course', async () => {
    const yml = await sample('course.yml');
    const plain = await compileCourse(SAMPLE_COURSE);
    const crlf = await buildWith({ 'course.yml': `\uFEFF${yml.replace(/\n/g, '\r\n')}` });
    expect(crlf.lines()).toEqual([]);
    expect(crlf.result.compiled!.course).toEqual(plain.compiled!.course);
  });
});
