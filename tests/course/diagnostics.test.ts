/**
 * One test per class of bad input: each asserts the exact file, line, column and message the
 * author sees, and that the course does not compile.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCourse } from '../../src/compile/compile.ts';
import { formatDiagnostic } from '../../src/diagnostics.ts';
import { SAMPLE_COURSE, sampleCourseWith } from '../support/course.ts';

async function errorsOf(changes: Record<string, string | null>) {
  const dir = await sampleCourseWith(changes);
  const { compiled, diagnostics } = await compileCourse(dir);
  expect(compiled).toBeNull();
  return diagnostics.sorted().filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d).split('\n')[0]);
}

const lesson = (body: string, front = 'id: lesson-one\ntitle: "Lesson 1: Blocks"') => `---\n${front}\n---\n# Lesson 1: Blocks\n\n${body}\n`;
const sample = (path: string) => readFile(join(SAMPLE_COURSE, path), 'utf8');

describe('diagnostics', () => {
  it('the sample course compiles without a problem', async () => {
    const { compiled, diagnostics } = await compileCourse(SAMPLE_COURSE);
    expect(diagnostics.items).toEqual([]);
    expect(compiled?.course.pages.map((p) => p.id)).toEqual(
      ['overview', 'basics-introduction', 'lesson-one', 'plan', 'final-quiz', 'feedback']);
  });

  it('bad YAML in course.yml', async () => {
    const yml = (await sample('course.yml')).replace('title: Sample Course', 'title: [Sample Course');
    const errors = await errorsOf({ 'course.yml': yml });
    expect(errors[0]).toBe('course.yml:3:1: error: Invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] [yaml-syntax]');
  });

  it('bad YAML in front matter points into the page file', async () => {
    const errors = await errorsOf({ '01-basics/01-lesson.md': lesson('Text.', 'id: lesson-one\ntitle: "unclosed') });
    expect(errors[0]).toMatch(/^01-basics\/01-lesson\.md:3:\d+: error: Invalid YAML/);
  });

  it('unknown front-matter key', async () => {
    const errors = await errorsOf({ '01-basics/01-lesson.md': lesson('Text.', 'id: lesson-one\ntitel: Oops') });
    expect(errors).toEqual(['01-basics/01-lesson.md:3:1: error: Unknown key `titel` [unknown-key]']);
  });

  it('unknown directive', async () => {
    const errors = await errorsOf({ '01-basics/01-lesson.md': lesson(':::quizz{#x}\nText\n:::') });
    expect(errors).toEqual(['01-basics/01-lesson.md:7:1: error: Unknown block `quizz` [unknown-directive]']);
  });

  it('question without a correct answer', async () => {
    const errors = await errorsOf({ '01-basics/01-lesson.md': lesson(':::question{#q-none}\nPick one.\n\n- [ ] A\n- [ ] B\n:::') });
    expect(errors).toEqual(['01-basics/01-lesson.md:10:1: error: Question `q-none` has no correct answer [no-correct-answer]']);
  });

  it('duplicate ids, pointing at the first use', async () => {
    const dir = await sampleCourseWith({
      '01-basics/01-lesson.md': lesson(':::response{#plan-summary}\nAgain.\n:::'),
    });
    const { diagnostics } = await compileCourse(dir);
    const [error] = diagnostics.errors;
    expect(formatDiagnostic(error)).toBe(
      '01-basics/02-workbook.md:8:1: error: Duplicate id `plan-summary` [duplicate-id]\n' +
      '    hint: First used at 01-basics/01-lesson.md:7:1; every block id must be unique in the course.');
  });

  it('duplicate page ids', async () => {
    const errors = await errorsOf({ '01-basics/03-again.md': '---\nid: plan\n---\n# Again\n\nText.\n' });
    expect(errors).toEqual(['01-basics/03-again.md:2:5: error: Duplicate page id `plan` [duplicate-id]']);
  });

  it('broken internal link', async () => {
    const errors = await errorsOf({ '01-basics/01-lesson.md': lesson('See [the plan](02-workbok.md).') });
    expect(errors).toEqual(['01-basics/01-lesson.md:7:5: error: Broken link: `02-workbok.md` is not a page of the course [broken-link]']);
  });

  it('missing image', async () => {
    const errors = await errorsOf({ '01-basics/01-lesson.md': lesson('![A chart](images/chart.png)') });
    expect(errors).toEqual(['01-basics/01-lesson.md:7:1: error: Image not found: `images/chart.png` [missing-asset]']);
  });

  it('an asset path escaping the course folder is refused', async () => {
    const errors = await errorsOf({ '01-basics/01-lesson.md': lesson('![Secrets](../../../package.json)') });
    expect(errors).toEqual(['01-basics/01-lesson.md:7:1: error: Image `../../../package.json` is outside the course folder and is refused [asset-outside-course]']);
  });

  it('quiz pass mark out of range', async () => {
    const quiz = (await sample('02-assessment/01-quiz.md')).replace('pass: 80', 'pass: 120');
    const errors = await errorsOf({ '02-assessment/01-quiz.md': quiz });
    expect(errors).toEqual(['02-assessment/01-quiz.md:5:7: error: `pass` must be between 0 and 100 [invalid-setting]']);
  });

  it('a course mastery score that contradicts the quiz pass mark', async () => {
    const yml = (await sample('course.yml')).replace('quiz: final-quiz', 'quiz: final-quiz\n  mastery: 70');
    const errors = await errorsOf({ 'course.yml': yml });
    expect(errors).toEqual(['course.yml:13:12: error: scoring.mastery is 70 but the pass mark of `final-quiz` is 80 [mastery-mismatch]']);
  });

  it('empty module', async () => {
    const errors = await errorsOf({ '03-empty/index.md': '---\nid: empty\ntitle: Empty\n---\n' });
    expect(errors).toEqual(['03-empty/index.md:1:1: error: Module `Empty` has no pages [empty-module]']);
  });

  it('unknown target', async () => {
    const yml = (await sample('course.yml')).replace('targets: [scorm12, scorm2004, web]', 'targets: [scorm12, scorm3000]');
    const errors = await errorsOf({ 'course.yml': yml });
    expect(errors).toEqual(['course.yml:7:20: error: `targets.1` must be one of: scorm12, scorm2004, xapi, cmi5, web, cc [invalid-setting]']);
  });

  it('reports every problem of a course in one run', async () => {
    const errors = await errorsOf({
      '01-basics/01-lesson.md': lesson(':::quizz\nx\n:::\n\n![Gone](gone.png)\n\n[Nowhere](nowhere.md)'),
      '02-assessment/01-quiz.md': (await sample('02-assessment/01-quiz.md')).replace('pass: 80', 'pass: -1'),
    });
    expect(errors.map((e) => e.replace(/: error: .*\[/, ' [')) ).toEqual([
      '01-basics/01-lesson.md:7:1 [unknown-directive]',
      '01-basics/01-lesson.md:11:1 [missing-asset]',
      '01-basics/01-lesson.md:13:1 [broken-link]',
      '02-assessment/01-quiz.md:5:7 [invalid-setting]',
    ]);
  });
});

describe('interaction prompts for LMS reports', () => {
  it('are plain text with the words of lists kept apart', async () => {
    const { compiled } = await compileCourse(SAMPLE_COURSE);
    expect(compiled!.interactions.get('plan-risks')!.prompt).toBe('Task 2. What are the risks? data people');
  });
});
