/**
 * Builds one target of a course in memory, again and again: pages are compiled and rendered only
 * when they changed, the theme and runtime bundle are read once. Nothing is written to disk.
 */
import type { CompiledCourse, TargetName } from '../model.ts';
import { compileCourse } from '../compile/compile.ts';
import type { Diagnostics } from '../diagnostics.ts';
import { renderSite, type Files } from '../render/site.ts';
import { bundleRuntime } from '../runtime/bundle.ts';
import { targets } from '../targets/index.ts';
import { packageFiles, readAssets } from '../build.ts';
import { memoryMemo, RecentMap } from '../memo.ts';
import type { PageResult } from '../compile/page.ts';

export interface PreviewBuild {
  ok: boolean;
  diagnostics: Diagnostics;
  compiled: CompiledCourse | null;
  /** The package's files by path; the last good build's when this one failed. */
  files: Files;
  ms: number;
}

export function createBuilder(courseDir: string, targetName: TargetName) {
  const cache = new RecentMap<string, PageResult>();
  const yaml = new RecentMap<string, Record<string, unknown>>();
  const memo = memoryMemo();
  const target = targets[targetName];
  let last: Files = new Map();

  return async function rebuild(): Promise<PreviewBuild> {
    const start = performance.now();
    cache.nextBuild();
    yaml.nextBuild();
    const { compiled, diagnostics } = await compileCourse(courseDir, { cache, yaml });
    if (!compiled) return { ok: false, diagnostics, compiled, files: last, ms: performance.now() - start };
    memo.nextBuild(); // only now: a course that does not compile keeps the last good build's renders
    const [site, assets, runtime] = await Promise.all([
      renderSite(compiled, memo),
      readAssets(courseDir, compiled.assets),
      bundleRuntime(target.runtime),
    ]);
    last = await packageFiles(compiled, site, target, runtime, assets, memo);
    return { ok: true, diagnostics, compiled, files: last, ms: performance.now() - start };
  };
}
