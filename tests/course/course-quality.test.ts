/**
 * The course reads as its owner means it: Module 7 follows Lesson 7.2's flow, and its questions
 * test understanding rather than test-taking (the answer is not given away by its length, and no
 * two questions share a correct answer).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileCourse } from '../../src/compile/compile.ts';
import type { CompiledCourse, Page, Question } from '../../src/model.ts';

const COURSE = join(import.meta.dirname, '../../course');

/** Compare answer texts without case, punctuation at the ends or repeated spaces. */
const normalise = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').replace(/^[\s.,;:!?]+|[\s.,;:!?]+$/g, '');

let compiled: CompiledCourse;
let questions: Question[];

beforeAll(async () => {
  const result = await compileCourse(COURSE);
  expect(result.diagnostics.errors).toEqual([]);
  compiled = result.compiled!;
  questions = [...compiled.interactions.values()].filter((i): i is Question => i.kind === 'question');
});

/** The position of the first page whose headings include one matching `heading`. */
function positionOf(heading: RegExp): number {
  const at = compiled.course.pages.findIndex((p: Page) => p.headings.some((h) => heading.test(h)));
  expect(at, `a page with a heading matching ${heading}`).toBeGreaterThanOrEqual(0);
  return at;
}

describe('Module 7 follows the flow of Lesson 7.2', () => {
  it('puts the submission step before the exam, and ends with the congratulations after feedback and resources', () => {
    const pages = compiled.course.pages;
    const exam = pages.findIndex((p) => p.id === compiled.course.scoring?.quiz);
    expect(pages[exam]?.type).toBe('quiz');
    const submission = positionOf(/Capstone Project Submission/);
    const feedback = positionOf(/^Course Feedback$/);
    const resources = positionOf(/^Post-Course Resources$/);
    const congratulations = positionOf(/^Congratulations!?$/);
    expect(submission, 'the submission step comes before the final exam').toBeLessThan(exam);
    expect(exam, 'the course feedback follows the exam').toBeLessThan(feedback);
    expect(feedback, 'the resources follow the course feedback').toBeLessThan(resources);
    expect(congratulations, 'the congratulations are on the last page').toBe(pages.length - 1);
    const last = pages[congratulations].headings;
    expect(last.findIndex((h) => /^Congratulations!?$/.test(h)), 'and are its last words').toBe(last.length - 1);
  });
});

describe('questions test understanding, not test-taking', () => {
  it('has many questions to judge', () => {
    expect(questions.filter((q) => q.type === 'single').length).toBeGreaterThanOrEqual(20);
  });

  it('makes the correct option the longest in at most a third of single-answer questions', () => {
    const single = questions.filter((q) => q.type === 'single');
    const givenAway = single.filter((q) => {
      const length = (id: string) => q.choices.find((c) => c.id === id)!.text.length;
      const others = q.choices.filter((c) => c.id !== q.correct[0]).map((c) => c.text.length);
      return length(q.correct[0]) >= Math.max(...others);
    });
    console.log(`single-answer questions: ${single.length}; correct option longest in ${givenAway.length}:`,
      givenAway.map((q) => q.id).join(' '));
    expect(givenAway.length * 3).toBeLessThanOrEqual(single.length);
  });

  it('never gives two questions the same correct answer text', () => {
    const byAnswer = new Map<string, string[]>();
    for (const q of questions.filter((x) => x.type === 'single' || x.type === 'multiple' || x.type === 'fill-in')) {
      const texts = q.type === 'fill-in' ? q.correct : q.correct.map((id) => q.choices.find((c) => c.id === id)!.text);
      for (const text of new Set(texts.map(normalise))) byAnswer.set(text, [...(byAnswer.get(text) ?? []), q.id]);
    }
    const shared = [...byAnswer].filter(([, ids]) => ids.length > 1).map(([text, ids]) => `${ids.join(', ')}: "${text}"`);
    expect(byAnswer.size).toBeGreaterThan(0);
    expect(shared).toEqual([]);
  });

  it('balances true/false items, so that neither answer is a safe guess', () => {
    const trueFalse = questions.filter((q) => q.type === 'true-false');
    const trueCount = trueFalse.filter((q) => q.choices.find((c) => c.id === q.correct[0])!.text === 'True').length;
    expect(trueFalse.length).toBeGreaterThan(0);
    expect(Math.abs(2 * trueCount - trueFalse.length), `${trueCount} of ${trueFalse.length} are true`).toBeLessThanOrEqual(2);
  });
});
