/**
 * Nothing of the owner's course is lost: every lesson heading and every suggested question for
 * Link in the seed has its counterpart in the compiled course model.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileCourse } from '../../src/compile/compile.ts';
import type { CompiledCourse, Question } from '../../src/model.ts';
import { pageHtml } from '../support/page-html.ts';

const ROOT = join(import.meta.dirname, '../..');
const SEED = join(ROOT, 'tests/fixtures/seed/ai-for-ecommerce-marketing.md');

/** Compare prompts without the Markdown and quoting the seed wraps them in. */
const normalise = (text: string) => text.toLowerCase().replace(/[*"“”_]/g, '').replace(/\s+/g, ' ').trim();

let seed: string;
let compiled: CompiledCourse;

beforeAll(async () => {
  seed = await readFile(SEED, 'utf8');
  const result = await compileCourse(join(ROOT, 'course'));
  expect(result.diagnostics.errors).toEqual([]);
  compiled = result.compiled!;
});

describe('the course keeps everything of the seed', () => {
  it('has every lesson of the seed, in order', () => {
    const seedLessons = [...seed.matchAll(/^#+ Lesson (\d+\.\d+)/gm)].map((m) => m[1]);
    const courseLessons = compiled.course.pages.flatMap((p) => p.title.match(/^Lesson (\d+\.\d+)/)?.[1] ?? []);
    expect(seedLessons.length).toBe(21); // 1.1–1.3 … 5.1–5.3, 6.1–6.4, 7.1–7.2
    expect(courseLessons).toEqual(seedLessons);
  });

  it('has every suggested question for Link as a prompt', () => {
    const pattern = /(Suggested Question for Link|Alternative Question|Additional Prompt for Link)[^:]*:\**\s*\**(?:\*?)"(.+?)"\**\s*$/gm;
    const seedPrompts = [...new Set([...seed.matchAll(pattern)].map((m) => normalise(m[2])))];
    const coursePrompts = new Set(compiled.course.pages.flatMap((p) => p.prompts.map(normalise)));
    expect(seedPrompts.length).toBeGreaterThanOrEqual(25);
    expect(seedPrompts.filter((p) => !coursePrompts.has(p))).toEqual([]);
  });

  it('has the seven modules, the workbooks, the poll, the capstone and a 30-question exam', () => {
    const { course, interactions } = compiled;
    const all = [...interactions.values()];
    const exam = course.pages.find((p) => p.id === 'final-exam')!;
    const examQuestions = exam.interactionIds.map((id) => interactions.get(id) as Question);
    const areas: Record<string, Question[]> = {};
    for (const q of examQuestions) (areas[q.id.replace(/^exam-(\w+)-\d+$/, '$1')] ??= []).push(q);
    const lessonPages = new Set(course.pages.filter((p) => p.type !== 'quiz').map((p) => p.id));
    const knowledgeChecks = all.filter((i) => i.kind === 'question' && lessonPages.has(i.pageId));
    const workbookResponses = all.filter((i) => i.kind === 'response' && /^wb\d-/.test(i.id));
    const counts = {
      modules: course.modules.length,
      lessons: course.pages.filter((p) => /^Lesson \d/.test(p.title)).length,
      prompts: course.pages.reduce((n, p) => n + p.prompts.length, 0),
      workbookPages: course.pages.filter((p) => p.type === 'workbook').length,
      workbookResponses: workbookResponses.length,
      pollQuestions: all.filter((i) => i.kind === 'poll' && i.pageId === 'lesson-1-1').length,
      examQuestions: examQuestions.length,
      knowledgeChecks: knowledgeChecks.length,
    };
    console.log('course counts:', JSON.stringify(counts), 'exam areas:',
      JSON.stringify(Object.fromEntries(Object.entries(areas).map(([a, qs]) => [a, qs.length]))));
    expect(counts.modules).toBe(7);
    expect(counts.examQuestions).toBe(30);
    expect(Object.values(areas).map((qs) => qs.length)).toEqual([6, 6, 6, 6, 6]);
    expect(counts.pollQuestions).toBeGreaterThanOrEqual(3);
    for (const n of [1, 2, 3, 4]) expect(workbookResponses.some((r) => r.id.startsWith(`wb${n}-`))).toBe(true);
    expect(exam.quiz).toMatchObject({ passMark: 80, shuffle: true });
    expect(exam.quiz!.attempts === 0 || exam.quiz!.attempts >= 2).toBe(true);
    expect(compiled.course.scoring).toEqual({ quiz: 'final-exam', mastery: 0.8 });
    for (const module of course.modules.slice(0, 6)) {
      const checks = knowledgeChecks.filter((q) => module.pageIds.includes(q.pageId));
      expect(checks.length, module.id).toBeGreaterThanOrEqual(3);
      expect(checks.length, module.id).toBeLessThanOrEqual(5);
    }
  });

  it('keeps at least 95 % of the seed\'s paragraphs and list items word for word', async () => {
    // Words only: the edit may fix punctuation and Markdown, and links become page links.
    const words = (text: string) => text.replace(/^\s*(?:[-*+]|\d+\.)\s+/gm, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
    const files = (await readdir(join(ROOT, 'course'), { recursive: true })).filter((f) => f.endsWith('.md'));
    const course = (await Promise.all(files.map((f) => readFile(join(ROOT, 'course', f), 'utf8')))).map(words).join(' ');
    // Prose of some length; headings and the prompts for Link are checked above.
    const paragraphs = seed.split('\n').filter((line) =>
      !/^\s*#|Suggested Question for Link|Alternative Question|Additional Prompt for Link/.test(line) && words(line).length >= 60);
    const missing = paragraphs.filter((p) => !course.includes(words(p)));
    console.log(`seed paragraphs kept: ${paragraphs.length - missing.length} of ${paragraphs.length}`);
    expect(paragraphs.length).toBeGreaterThan(900);
    expect((paragraphs.length - missing.length) / paragraphs.length).toBeGreaterThanOrEqual(0.95);
  });

  it('keeps tables as tables (the KPI mapping of Lesson 6.2)', () => {
    const lesson = compiled.course.pages.find((p) => p.id === 'lesson-6-2')!;
    expect(pageHtml(compiled, lesson)).toMatch(/<table>[\s\S]*<th>/);
  });
});
