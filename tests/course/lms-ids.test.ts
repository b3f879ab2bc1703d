/**
 * Ids and answers every LMS accepts: what the runtime would write and an LMS refuse or alter is
 * an error at build time, at the block's file:line:column.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCourse } from '../../src/compile/compile.ts';
import { formatDiagnostic } from '../../src/diagnostics.ts';
import { SAMPLE_COURSE, sampleCourseWith } from '../support/course.ts';

const QUIZ = '02-assessment/01-quiz.md';
const LESSON = '01-basics/01-lesson.md';

async function lmsErrors(file: string, edit: (text: string) => string) {
  const text = await readFile(join(SAMPLE_COURSE, file), 'utf8');
  const { compiled, diagnostics } = await compileCourse(await sampleCourseWith({ [file]: edit(text) }));
  const errors = diagnostics.sorted().filter((d) => d.rule === 'lms-id');
  if (errors.length) expect(compiled).toBeNull();
  return errors.map((d) => formatDiagnostic(d).split('\n')[0]);
}

describe('LMS ids and answers checked at build time', () => {
  it('the sample course has none an LMS would refuse', async () => {
    expect(await lmsErrors(QUIZ, (t) => t)).toEqual([]);
  });

  it('more than 10 accepted fill-in answers (Moodle keeps 10)', async () => {
    const answers = Array.from({ length: 11 }, (_, i) => `- [x] RFM${i}`).join('\n');
    const errors = await lmsErrors(QUIZ, (t) => t.replace('- [x] RFM', answers));
    expect(errors).toEqual([`${QUIZ}:43:1: error: \`q-fill\` has 11 accepted answers; Moodle keeps at most 10 [lms-id]`]);
  });

  it('a fill-in answer the LMS would change: a 2004 separator, a leading brace, over 250 characters', async () => {
    const errors = await lmsErrors(QUIZ, (t) => t.replace('- [x] RFM', `- [x] R[,]FM\n- [x] {lang=en}RFM\n- [x] ${'r'.repeat(251)}`));
    expect(errors).toHaveLength(3);
    for (const e of errors) expect(e).toMatch(new RegExp(`^${QUIZ}:43:1: error: The accepted answer ".*" of \`q-fill\` would be changed in the LMS \\[lms-id\\]$`));
  });

  it('a two-choice single-answer question is a warning where the course builds a Common Cartridge', async () => {
    const text = await readFile(join(SAMPLE_COURSE, LESSON), 'utf8');
    const twoChoices = text.replace('- [ ] Demand forecasting\n', '');
    const warnings = async (targets: string) => {
      const config = (await readFile(join(SAMPLE_COURSE, 'course.yml'), 'utf8')).replace(/^targets: .*$/m, `targets: ${targets}`);
      const { compiled, diagnostics } = await compileCourse(await sampleCourseWith({ [LESSON]: twoChoices, 'course.yml': config }));
      expect(compiled).not.toBeNull();
      return diagnostics.sorted().filter((d) => d.rule === 'cc-choices').map((d) => formatDiagnostic(d).split('\n')[0]);
    };
    expect(await warnings('[scorm12, cc]')).toEqual([
      `${LESSON}:20:1: warning: \`kc-aov\` has 2 choices; a Common Cartridge wants at least three in a single-answer question [cc-choices]`,
      `${QUIZ}:49:1: warning: \`q-last\` has 2 choices; a Common Cartridge wants at least three in a single-answer question [cc-choices]`,
    ]);
    expect(await warnings('[scorm12, web]')).toEqual([]);
  });

  it('an interaction id over 255 characters', async () => {
    const id = 'p' + 'x'.repeat(255);
    const errors = await lmsErrors(LESSON, (t) => t.replace('{#poll-model', `{#${id}`));
    expect(errors).toEqual([`${LESSON}:32:1: error: The id \`${id}\` is not one every LMS accepts [lms-id]`]);
  });
});
