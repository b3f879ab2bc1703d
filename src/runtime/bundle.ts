/** Bundles the runtime for one adapter with esbuild: one small IIFE per target. */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

export type RuntimeEntryName = 'scorm12' | 'scorm2004' | 'local';

const cache = new Map<RuntimeEntryName, Promise<string>>();

export function bundleRuntime(entry: RuntimeEntryName): Promise<string> {
  let code = cache.get(entry);
  if (!code) {
    code = build({
      entryPoints: [fileURLToPath(new URL(`./entries/${entry}.ts`, import.meta.url))],
      bundle: true,
      minify: true,
      format: 'iife',
      target: 'es2019',
      write: false,
      legalComments: 'none',
    }).then((r) => r.outputFiles[0].text);
    cache.set(entry, code);
  }
  return code;
}
