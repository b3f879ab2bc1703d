/**
 * Node side: the browser runtime for one target (player + that target's adapter) as a single
 * minified IIFE, which the build puts in the package as `runtime.js`. The packed command line
 * reads the bundles `src/pack.ts` made; run from the sources, it bundles them with esbuild.
 */
import type { BuildOptions } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { own, PACKED } from '../paths.ts';

export const RUNTIME_ENTRIES = ['scorm12', 'scorm2004', 'web', 'xapi', 'cmi5'] as const;
export type RuntimeEntry = (typeof RUNTIME_ENTRIES)[number];

export function runtimeBuildOptions(entry: RuntimeEntry): BuildOptions {
  return {
    entryPoints: [own('src', 'runtime', 'entries', `${entry}.ts`)],
    bundle: true,
    format: 'iife',
    minify: true,
    // ES2020 keeps `?.` and `??` as written (Chrome 80, Firefox 74, Safari 13.1 and later).
    target: 'es2020',
    platform: 'browser',
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'silent',
  };
}

// One bundle per entry and process: several targets share an entry, and watch rebuilds are cheap.
const cache = new Map<RuntimeEntry, Promise<string>>();

export function bundleRuntime(entry: RuntimeEntry): Promise<string> {
  let code = cache.get(entry);
  if (!code) {
    code = PACKED ? readFile(own('dist', 'tool', 'runtime', `${entry}.js`), 'utf8') : bundleFromSources(entry);
    code.catch(() => cache.delete(entry)); // a failed build is retried next time
    cache.set(entry, code);
  }
  return code;
}

async function bundleFromSources(entry: RuntimeEntry): Promise<string> {
  const { build } = await import('esbuild');
  const result = await build({ ...runtimeBuildOptions(entry), write: false });
  return result.outputFiles[0]!.text;
}
