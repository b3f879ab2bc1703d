/**
 * Builds a course with the project's own API into a temporary folder and unpacks every zip, as an
 * LMS does on upload. Also reads what an LMS takes from the manifest at import: the launch file and
 * the mastery / completion settings it hands the SCO at run time.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type BuiltPackage } from '../../../src/build.ts';
import { formatDiagnostic } from '../../../src/diagnostics.ts';
import type { CompiledCourse, TargetName } from '../../../src/model.ts';
import { unzip } from '../unzip.ts';

export interface BuiltCourse {
  compiled: CompiledCourse;
  outDir: string;
  packages: BuiltPackage[];
  /** The folder each target can be served from: the unpacked zip, or the web folder. */
  dirs: Partial<Record<TargetName, string>>;
  /** Files of each unpacked zip (paths with `/`). */
  files: Partial<Record<TargetName, string[]>>;
  remove(): Promise<void>;
}

export async function buildCourse(courseDir: string, targets: TargetName[]): Promise<BuiltCourse> {
  const outDir = await mkdtemp(join(tmpdir(), 'coursepack-browser-'));
  const remove = () => rm(outDir, { recursive: true, force: true });
  const result = await build({ courseDir, outDir, targets }).catch(async (e) => {
    await remove();
    throw e;
  });
  if (!result.compiled || result.diagnostics.hasErrors) {
    await remove();
    throw new Error(`build of ${courseDir} failed:\n${result.diagnostics.sorted().map(formatDiagnostic).join('\n')}`);
  }
  const dirs: BuiltCourse['dirs'] = {};
  const files: BuiltCourse['files'] = {};
  for (const pkg of result.packages) {
    if (pkg.name.endsWith('.zip')) {
      const dir = join(outDir, 'unpacked', pkg.target);
      files[pkg.target] = await unzip(join(outDir, pkg.name), dir);
      dirs[pkg.target] = dir;
    } else {
      dirs[pkg.target] = join(outDir, pkg.name);
    }
  }
  for (const target of targets) {
    if (!dirs[target]) throw new Error(`build of ${courseDir} produced no ${target} package`);
  }
  return {
    compiled: result.compiled,
    outDir,
    packages: result.packages,
    dirs,
    files,
    remove,
  };
}

/** What an LMS reads from `imsmanifest.xml` to launch the SCO. */
export interface ManifestLaunch {
  /** The SCO resource's href, relative to the package root. */
  href: string;
  /** SCORM 1.2 `adlcp:masteryscore` (0–100), handed over as `cmi.student_data.mastery_score`. */
  masteryScore: number | null;
  /** SCORM 2004 primary objective `minNormalizedMeasure` with satisfiedByMeasure → `cmi.scaled_passing_score`. */
  scaledPassingScore: number | null;
  /** SCORM 2004 `adlcp:completionThreshold` → `cmi.completion_threshold`. */
  completionThreshold: number | null;
}

export async function readManifest(packageDir: string): Promise<ManifestLaunch> {
  const xml = await readFile(join(packageDir, 'imsmanifest.xml'), 'utf8');
  const resources = [...xml.matchAll(/<resource\b[^>]*>/g)].map((m) => m[0]);
  const sco = resources.find((r) => /scorm[tT]ype\s*=\s*"sco"/.test(r));
  const href = sco?.match(/\shref\s*=\s*"([^"]+)"/)?.[1];
  if (!href) throw new Error(`${packageDir}/imsmanifest.xml: no SCO resource with an href`);
  const mastery = xml.match(/<adlcp:masteryscore>\s*([\d.]+)\s*<\/adlcp:masteryscore>/)?.[1];
  const primary = xml.match(/<imsss:primaryObjective\b[^>]*>[\s\S]*?<\/imsss:primaryObjective>/)?.[0] ?? '';
  const measure = /satisfiedByMeasure\s*=\s*"true"/.test(primary)
    ? primary.match(/<imsss:minNormalizedMeasure>\s*([-\d.]+)\s*</)?.[1]
    : undefined;
  const threshold = xml.match(/<adlcp:completionThreshold\b[^>]*\bminProgressMeasure\s*=\s*"([\d.]+)"/)?.[1];
  return {
    href,
    masteryScore: mastery ? Number(mastery) : null,
    scaledPassingScore: measure ? Number(measure) : null,
    completionThreshold: threshold ? Number(threshold) : null,
  };
}
