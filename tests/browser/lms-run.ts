/** A course built for one SCORM edition, served, and open in Chromium inside the scorm-again LMS host. */
import { buildCourse, launchBrowser, openLms, startStaticServer, valuesSet, type Browser, type BuiltCourse, type LmsHost, type StaticServer, type Standard } from '../support/browser/index.ts';
import type { CompiledCourse } from '../../src/model.ts';
import { expect } from 'vitest';

export interface LmsRun {
  standard: Standard;
  compiled: CompiledCourse;
  built: BuiltCourse;
  server: StaticServer;
  browser: Browser;
  lms: LmsHost;
}

export async function startLmsRun(courseDir: string, standard: Standard): Promise<LmsRun> {
  const built = await buildCourse(courseDir, [standard]);
  const server = await startStaticServer();
  const browser = await launchBrowser();
  const lms = await openLms(browser, server, { standard, packageDir: built.dirs[standard]! });
  return { standard, compiled: built.compiled, built, server, browser, lms };
}

export async function closeLmsRun(run: LmsRun | undefined): Promise<void> {
  await run?.browser.close();
  await run?.server.close();
  await run?.built.remove();
}

/** The element names of an edition that the checks of a session closed mid-course need. */
const SUSPENDED = {
  scorm12: { exit: 'cmi.core.exit', location: 'cmi.core.lesson_location', status: 'cmi.core.lesson_status' },
  scorm2004: { exit: 'cmi.exit', location: 'cmi.location', status: 'cmi.completion_status' },
} as const;

/** The session closed mid-course ended suspended, bookmarked at `location`, incomplete; returns what was committed. */
export async function expectSuspended(run: LmsRun, session: number, location: string): Promise<Record<string, string>> {
  const { exit, location: bookmark, status } = SUSPENDED[run.standard as keyof typeof SUSPENDED];
  const calls = await run.lms.calls();
  expect(valuesSet(run.standard, calls, exit, session).at(-1), `last ${exit} the SCO set`).toBe('suspend');
  const stored = (await run.lms.commits()).filter((c) => c.session === session).at(-1)?.data ?? {};
  expect(stored[exit], `${exit} stored`).toBe('suspend');
  expect(stored[bookmark], `${bookmark} stored`).toBe(location);
  expect(stored[status], `${status} stored`).toBe('incomplete');
  expect(stored['cmi.suspend_data'] ?? '', 'cmi.suspend_data stored').not.toBe('');
  return stored;
}
