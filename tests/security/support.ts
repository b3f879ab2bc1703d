/**
 * Builds a changed copy of the sample course into an output folder that already holds a previous
 * build, and checks that a failed build leaves that folder exactly as it was.
 */
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { build, type BuildResult } from '../../src/build.ts';
import { formatDiagnostic, type Severity } from '../../src/diagnostics.ts';
import type { TargetName } from '../../src/model.ts';
import { sampleCourseWith } from '../support/course.ts';

export const lesson = (body: string, front = 'id: lesson-one\ntitle: "Lesson 1: Blocks"') =>
  `---\n${front}\n---\n# Lesson 1: Blocks\n\n${body}\n`;

/** Every file below `dir` with its contents. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  return Object.fromEntries(await Promise.all(files.map(async (f) => [f.slice(dir.length + 1), await readFile(f, 'latin1')])));
}

export interface Built {
  course: string;
  outDir: string;
  result: BuildResult;
  /** `file:line:column: severity: message [rule]` of each diagnostic, in reading order. */
  lines(severity?: Severity): string[];
}

/** Copies the sample course with `changes`, lets `prepare` plant files, builds into a seeded dist. */
export async function buildWith(
  changes: Record<string, string | null>,
  prepare?: (course: string) => Promise<void>,
  targets: TargetName[] = ['web'],
): Promise<Built> {
  const course = await sampleCourseWith(changes);
  await prepare?.(course);
  const outDir = await mkdtemp(join(tmpdir(), 'coursepack-dist-'));
  await writeFile(join(outDir, 'sample-course-scorm12.zip'), 'the previous build');
  const result = await build({ courseDir: course, outDir, targets });
  return {
    course,
    outDir,
    result,
    lines: (severity) => result.diagnostics.sorted().filter((d) => !severity || d.severity === severity)
      .map((d) => formatDiagnostic(d).split('\n')[0]),
  };
}

/** A build that must fail: returns its error lines, after checking the previous dist is untouched. */
export async function failedBuild(
  changes: Record<string, string | null>,
  prepare?: (course: string) => Promise<void>,
): Promise<string[]> {
  const built = await buildWith(changes, prepare);
  expect(built.result.compiled).toBeNull();
  expect(await snapshot(built.outDir)).toEqual({ 'sample-course-scorm12.zip': 'the previous build' });
  return built.lines('error');
}
