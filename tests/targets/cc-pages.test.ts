/**
 * The cartridge's pages, case by case: prompt cards with and without an assistant link, links to a
 * page that became an assessment, a workbook that keeps its tasks, a page of questions that becomes
 * its quiz with the introduction as rubric.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import { sampleCourseWith, SAMPLE_COURSE } from '../support/course.ts';
import { htmlText, readCartridge, type Cartridge } from '../support/cartridge.ts';

const ASSISTANT = 'https://assistant.example.com/chat?q={prompt}';

async function cartridgeOf(courseDir: string): Promise<Cartridge> {
  const out = await mkdtemp(join(tmpdir(), 'coursepack-cc-pages-'));
  const result = await build({ courseDir, outDir: out, targets: ['cc'] });
  expect(result.diagnostics.errors).toEqual([]);
  return readCartridge(await readFile(join(out, 'sample-course-cc.imscc')));
}

const page = (cartridge: Cartridge, id: string): string | undefined => {
  const file = [...cartridge.files.keys()].find((f) => f.endsWith(`/pages/${id}.html`));
  return file ? String(cartridge.files.get(file)) : undefined;
};

describe('cartridge pages', () => {
  let plain: Cartridge;
  let changed: Cartridge;

  beforeAll(async () => {
    const read = (path: string) => readFile(join(SAMPLE_COURSE, path), 'utf8');
    const dir = await sampleCourseWith({
      'course.yml': (await read('course.yml')).replace('  name: Link', `  name: Link\n  url: ${ASSISTANT}`),
      '01-basics/01-lesson.md': `${await read('01-basics/01-lesson.md')}\nBefore the end, take [the final quiz](../02-assessment/01-quiz.md).\n`,
      '01-basics/02-workbook.md': (await read('01-basics/02-workbook.md'))
        .replace('# Workbook: Your plan\n', '# Workbook: Your plan\n\n## Scenario\n\nYou run a small online shop.\n'),
      '01-basics/03-check.md': '---\nid: basics-check\ntitle: Basics check\n---\n# Basics check\n\nThese do not count.\n\n'
        + ':::question{#kc-extra type=true-false}\nAOV means average order value.\n\n- [x] True\n- [ ] False\n:::\n',
    });
    [plain, changed] = await Promise.all([cartridgeOf(SAMPLE_COURSE), cartridgeOf(dir)]);
  }, 120_000);

  it('keeps a prompt as text; with an assistant URL, its link, and never the copy button', () => {
    const without = page(plain, 'lesson-one')!;
    expect(htmlText(without)).toContain('How should I apply SMART goals to my store?');
    expect(without).not.toContain('Copy prompt');
    const withLink = page(changed, 'lesson-one')!;
    const href = ASSISTANT.replace('{prompt}', encodeURIComponent('How should I apply SMART goals to my store?'));
    expect(withLink).toContain(`href="${href.replaceAll('&', '&#x26;')}"`);
  });

  it('keeps the text of a link to a page that became an assessment, without the link', () => {
    const html = page(changed, 'lesson-one')!;
    expect(htmlText(html)).toContain('Before the end, take the final quiz.');
    expect(html).not.toMatch(/href="[^"]*final-quiz/);
    expect(html).not.toContain('href="#');
  });

  it('takes questions and polls off a lesson page, and says where they went', () => {
    const text = htmlText(page(plain, 'lesson-one')!);
    expect(text).not.toContain('Which tool category lifts average order value?');
    expect(text).not.toContain('Which best describes your business?');
    const titles = plain.modules.flatMap((m) => m.items.map((i) => i.title));
    for (const title of ['Lesson 1: Blocks: Questions', 'Lesson 1: Blocks: Survey']) {
      expect(titles).toContain(title);
      expect(text).toContain(`“${title}”`);
    }
  });

  it('makes a workbook of tasks alone its essays; one with more keeps its page, tasks and a pointer', () => {
    expect(page(plain, 'plan')).toBeUndefined();
    expect(plain.modules.flatMap((m) => m.items).find((i) => i.title === 'Workbook: Your plan')?.type)
      .toBe('imsqti_xmlv1p2/imscc_xmlv1p1/assessment');
    const text = htmlText(page(changed, 'plan')!);
    expect(text).toContain('You run a small online shop.');
    expect(text).toContain('Task 1. Summarise your plan in a few sentences.');
    expect(text.match(/Write your answer in “Workbook: Your plan: Your answers”/g)).toHaveLength(2);
  });

  it('makes a page of questions and a short introduction its quiz, the introduction as rubric', () => {
    expect(page(changed, 'basics-check')).toBeUndefined();
    const item = changed.modules.flatMap((m) => m.items).find((i) => i.title === 'Basics check')!;
    const qti = String(changed.files.get(item.file));
    expect(qti).toMatch(/<rubric>\s*<material>\s*<mattext texttype="text\/html">&#x3C;p>These do not count.&#x3C;\/p><\/mattext>/);
    expect(changed.assessments.get(item.file)!.items.map((i) => [i.ident, i.profile, i.correct])).toEqual([['kc-extra', 'cc.true_false.v0p1', ['true']]]);
  });

  it('gives a quiz its attempts, and a knowledge check no points', () => {
    const quiz = [...plain.assessments.values()].find((a) => a.title === 'Final quiz')!;
    expect(quiz.metadata.cc_maxattempts).toBe('2');
    // The pass mark has no field in CC 1.1: the quiz's instructions state it, as the quiz page does.
    const file = plain.modules.flatMap((m) => m.items).find((i) => i.title === 'Final quiz')!.file;
    expect(String(plain.files.get(file))).toContain('Pass mark: 80%. Attempts allowed: 2.');
    expect(quiz.items.map((i) => i.points)).toEqual([1, 1, 1, 1, 1]);
    const check = [...plain.assessments.values()].find((a) => a.title === 'Lesson 1: Blocks: Questions')!;
    expect(check.items.map((i) => i.points)).toEqual([0]);
    expect(check.metadata.cc_maxattempts).toBe('unlimited');
  });
});
