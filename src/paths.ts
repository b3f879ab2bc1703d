/**
 * Where coursepack's own files are: themes, runtime sources, preview client. Found from this
 * module's location by looking for the project root, so it holds both when the sources run
 * directly and when the command line runs from its bundle (see launcher.js).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'themes')) && existsSync(join(dir, 'src', 'runtime'))) return dir;
    if (dirname(dir) === dir) throw new Error(`coursepack: cannot find its own files above ${from}`);
  }
}

export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside coursepack's own folder. */
export const own = (...parts: string[]): string => join(ROOT, ...parts);
