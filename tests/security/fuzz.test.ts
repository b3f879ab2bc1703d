/**
 * Random mixes of Markdown, directives, front matter and YAML, written into a copy of the sample
 * course: the build never throws (the command line would exit 0 or 1, never 2), it fails exactly
 * when there are errors, every diagnostic names a file of the course and a place in it, and the
 * time it takes grows linearly with the size of the page.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import { compileCourse } from '../../src/compile/compile.ts';
import { dialectFor, parseMarkdown } from '../../src/compile/markdown.ts';
import { sampleCourseWith } from '../support/course.ts';

const LESSON = '01-basics/01-lesson.md';

const markdown = fc.constantFrom(
  '# A title', '## A part', 'Plain text.', '**bold** and _italic_ and `code`', '[the plan](02-workbook.md)',
  '[a page](#plan)', '[nowhere](#nowhere)', '[out](../../x.md)', '![A funnel](images/funnel.svg)', '![](missing.png)',
  '[js](javascript:alert(1))', '> a quote\n> > nested', '- item\n  - nested\n    - deeper', '1. one\n2. two',
  '- [x] done\n- [ ] open', '```js\nlet x = 1;\n```', '| a | b |\n|---|---|\n| 1 | 2 |', 'word:value here',
  ':abbr[HTML]{title="x"}', '<div onclick="x()">html</div>', '<script>alert(1)</script>', '<!-- note -->',
  '***', '\\*escaped\\*', '[^1]\n\n[^1]: A footnote.', 'https://example.com', '&amp; &#0; &#x110000;', '\r\n', '\t',
  '\u0000', '\uFEFF', '\u202E', '😀', 'é',
);

const directive = fc.constantFrom(
  ':::callout{kind=tip}\nA tip.\n:::', ':::callout[Label]{kind=nope}\nText\n:::', ':::prompt\nAsk this.\n:::', ':::prompt\n:::',
  ':::response{#resp-ID rows=4}\nWrite here.\n:::', ':::response{#page}\nx\n:::', ':::response{rows=99}\nx\n:::',
  '::::question{#q-ID}\nPick one.\n\n- [x] Right\n- [ ] Wrong\n\n:::feedback\nBecause.\n:::\n::::',
  ':::question{#q2-ID type=true-false}\nTrue?\n\n- [x] True\n- [ ] False\n:::', ':::question{#q3-ID}\nNo choices\n:::',
  ':::poll{#poll-ID}\nWhich?\n\n- A\n- B\n:::', ':::feedback\nAlone.\n:::', '::leaf', ':::unknown{#x}\n:::', ':::',
  ':::callout{kind="tip}\nBroken attributes\n:::', ':::callout\nnever closed', '::::question{#q4-ID}\n:::feedback\nx\n::::',
);

const frontMatter = fc.option(fc.array(fc.constantFrom(
  'id: lesson-one', 'id: Lesson-One', 'id: 1bad', 'id: plan', 'title: A title', 'title: "quoted: yes"', 'title: [unclosed',
  'type: quiz', 'type: lesson', 'type: nope', 'pass: 0', 'pass: 50', 'pass: 120', 'attempts: -1', 'draw: 2', 'shuffle: maybe',
  'required: false', 'duration: 10 mins', 'colour: red', 'a: &a [x, x]', 'b: [*a, *a]', '*undefined', ': :', '- list', '"unterminated',
), { maxLength: 6 }), { nil: null });

const page = fc.tuple(frontMatter, fc.array(fc.oneof(markdown, directive, fc.string({ maxLength: 40 })), { maxLength: 25 }),
  fc.integer({ min: 0, max: 1_000_000 }))
  .map(([front, parts, seed]) => {
    const body = parts.map((p) => p.replaceAll('ID', String(seed))).join(seed % 3 === 0 ? '\n' : '\n\n');
    return front ? `---\n${front.join('\n')}\n---\n${body}\n` : `${body}\n`;
  });

const yamlTail = fc.option(fc.constantFrom(
  'description: "x', 'language: "../../etc"', 'theme: ../x', 'targets: []', 'slug: Bad Slug', 'extra: 1',
  'x: &x [a,a,a,a,a,a,a,a,a,a]\ny: [*x,*x,*x,*x,*x,*x,*x,*x,*x,*x]\nz: [*y,*y,*y,*y,*y,*y,*y,*y,*y,*y]', 'title: ""', '\t: tab',
), { nil: null });

describe('random courses', () => {
  it('never crash; fail exactly when there are errors; every diagnostic has a file and a place', async () => {
    const course = await sampleCourseWith();
    const outDir = await mkdtemp(join(tmpdir(), 'coursepack-fuzz-'));
    const yml = await readFile(join(course, 'course.yml'), 'utf8');
    await fc.assert(fc.asyncProperty(page, yamlTail, async (text, tail) => {
      await writeFile(join(course, LESSON), text);
      await writeFile(join(course, 'course.yml'), tail ? `${yml}${tail}\n` : yml);
      const result = await build({ courseDir: course, outDir, targets: ['web'] });
      expect(result.compiled === null).toBe(result.diagnostics.hasErrors);
      for (const d of result.diagnostics.items) {
        expect(existsSync(join(course, d.file)), `${d.file} exists`).toBe(true);
        expect(Number.isInteger(d.line) && d.line >= 1 && Number.isInteger(d.column) && d.column >= 1, `${d.file}:${d.line}:${d.column}`).toBe(true);
        expect(d.message.length).toBeGreaterThan(0);
      }
    }), { numRuns: 120 });
  }, 300_000);

  it('parse the same in pieces as in one (long pages are parsed in pieces)', () => {
    const long = fc.array(fc.oneof(markdown, directive, fc.constantFrom('Prose.', '# Heading', 'word', '    indented', '<!--', '-->')),
      { maxLength: 60 }).map((parts) => parts.join('\n\n'));
    fc.assert(fc.property(long, fc.integer({ min: 1, max: 200 }), (text, every) => {
      expect(parseMarkdown(text, every)).toEqual(parseMarkdown(text, Number.POSITIVE_INFINITY));
    }), { numRuns: 300 });
  });

  it('parse the same with only the GFM constructs a text can hold as with all of GFM', () => {
    const whole = (text: string) => {
      const parser = dialectFor(text, true);
      return parser.runSync(parser.parse(text));
    };
    // Near misses of every construct's start: `www`, `://`, `@`, `[^`, `~`, `|`, `[ ]`.
    const nearMiss = fc.constantFrom('www.x.com', 'wwwx', 'http://a.b', 'http:/a', 'a@b.co', 'mailto:a@b.c', 'x@', '[^a]', '[^a]: b',
      '[ ]', '- [x] y', '~a~', '~~b~~', 'a | b', '|---|', '-|-', '|', '~', '@', '[', '^', ':', 'w', 'h');
    const text = fc.array(fc.oneof(markdown, directive, nearMiss, fc.string({ maxLength: 12 })), { maxLength: 30 })
      .chain((parts) => fc.constantFrom('\n', '\n\n', ' ').map((glue) => parts.join(glue)));
    fc.assert(fc.property(text, (t) => {
      expect(parseMarkdown(t, Number.POSITIVE_INFINITY)).toEqual(whole(t));
    }), { numRuns: 1000 });
  });

  it('take time linear in the size of the page', async () => {
    const course = await sampleCourseWith();
    const cpu = () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    };
    /** The least CPU time of two compiles of the page made of `unit` repeated `times`. */
    const timeOf = async (unit: string, times: number) => {
      // A line of prose between the repetitions, as on a real page: one endless list is limited instead.
      await writeFile(join(course, LESSON), `---\nid: lesson-one\n---\n# Big\n\n${Array(times).fill(unit).join('\n\nSome prose.\n\n')}\n`);
      const runs: number[] = [];
      for (let i = 0; i < 2; i++) {
        const start = cpu();
        await compileCourse(course);
        runs.push(cpu() - start);
      }
      return Math.min(...runs);
    };
    const unit = fc.array(fc.oneof(markdown, directive), { minLength: 5, maxLength: 15 }).map((parts) => parts.join('\n\n'));
    await fc.assert(fc.asyncProperty(unit, fc.integer({ min: 0, max: 1e6 }), async (text, seed) => {
      const block = text.replaceAll('ID', String(seed));
      const times = Math.max(1, Math.ceil(20_000 / block.length));
      await timeOf(block, times); // warm up
      const small = await timeOf(block, times);
      const large = await timeOf(block, times * 8);
      // Linear: about 8 times as long; quadratic would be 64. Generous slack for a busy machine.
      expect(large / Math.max(small, 20), `${small.toFixed(0)} ms → ${large.toFixed(0)} ms`).toBeLessThan(24);
    }), { numRuns: 4 });
  }, 600_000);
});
