/** course.yml `reporting`: the defaults, each setting carried into the model, a bad value at its place. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCourse } from '../../src/compile/compile.ts';
import { formatDiagnostic } from '../../src/diagnostics.ts';
import { SAMPLE_COURSE, sampleCourseWith } from '../support/course.ts';

const withReporting = async (yaml: string) => {
  const yml = (await readFile(join(SAMPLE_COURSE, 'course.yml'), 'utf8')) + yaml;
  return compileCourse(await sampleCourseWith({ 'course.yml': yml }));
};

describe('course.yml reporting', () => {
  it('defaults to what the runtime always did', async () => {
    const { compiled } = await compileCourse(SAMPLE_COURSE);
    expect(compiled!.course.reporting).toEqual({ scorm12: 'passed/failed', failed: 'any-attempt', exit: 'suspend' });
  });

  it('carries each setting into the model', async () => {
    const { compiled } = await withReporting('reporting:\n  scorm12-status: completed/incomplete\n  failed: last-attempt\n  exit: normal\n');
    expect(compiled!.course.reporting).toEqual({ scorm12: 'completed/incomplete', failed: 'last-attempt', exit: 'normal' });
  });

  it('reports a value it does not know at its place', async () => {
    const { compiled, diagnostics } = await withReporting('reporting:\n  scorm12-status: passed\n');
    expect(compiled).toBeNull();
    const lines = (await readFile(join(SAMPLE_COURSE, 'course.yml'), 'utf8')).split('\n').length;
    expect(formatDiagnostic(diagnostics.errors[0]).split('\n')[0]).toMatch(new RegExp(`^course\\.yml:${lines + 1}:\\d+: error: .*scorm12-status`));
  });
});
