/** Temporary copies of the sample course, with some files changed, for tests of bad input. */
import { cp, mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const SAMPLE_COURSE = join(import.meta.dirname, '../fixtures/sample-course');

/** Copies the sample course; each entry writes a file (text) or deletes it (null). */
export async function sampleCourseWith(changes: Record<string, string | null> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'coursepack-test-'));
  const course = join(dir, 'course');
  await cp(SAMPLE_COURSE, course, { recursive: true });
  for (const [path, content] of Object.entries(changes)) {
    const target = join(course, path);
    if (content === null) await rm(target, { recursive: true, force: true });
    else {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
  }
  return course;
}
