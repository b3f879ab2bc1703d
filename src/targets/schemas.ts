/** The official ADL/IMS schema files that SCORM packages carry at their root (kept in `xsd/`). */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { own } from '../paths.ts';
import type { Files } from '../render/site.ts';

const cache = new Map<string, Promise<Files>>();

/** `scorm12edition` or `scorm20044thedition`: every .xsd and .dtd of that edition. */
export function schemaFiles(edition: 'scorm12edition' | 'scorm20044thedition'): Promise<Files> {
  let files = cache.get(edition);
  if (!files) {
    files = (async () => {
      const dir = own('src', 'targets', 'xsd', edition);
      const names = (await readdir(dir)).filter((n) => /\.(xsd|dtd)$/.test(n)).sort();
      return new Map(await Promise.all(names.map(async (n) => [n, await readFile(join(dir, n))] as const)));
    })();
    cache.set(edition, files);
  }
  return files;
}
