/**
 * Node side: bundles the browser runtime for one target (player + that target's adapter) into a
 * single minified IIFE. The build pipeline puts the result in the package as `runtime.js`.
 */
import { build } from 'esbuild';
import { own } from '../paths.ts';

export type RuntimeEntry = 'scorm12' | 'scorm2004' | 'local' | 'xapi' | 'cmi5';

// One bundle per entry and process: several targets share an entry, and watch rebuilds are cheap.
const cache = new Map<RuntimeEntry, Promise<string>>();

export function bundleRuntime(entry: RuntimeEntry): Promise<string> {
  let code = cache.get(entry);
  if (!code) {
    code = build({
      entryPoints: [own('src', 'runtime', 'entries', `${entry}.ts`)],
      bundle: true,
      format: 'iife',
      minify: true,
      target: 'es2019',
      platform: 'browser',
      sourcemap: false,
      legalComments: 'none',
      write: false,
      logLevel: 'silent',
    }).then((r) => r.outputFiles[0].text);
    code.catch(() => cache.delete(entry)); // a failed build is retried next time
    cache.set(entry, code);
  }
  return code;
}
