/**
 * Where coursepack's own files are: themes, schemas, runtime, preview client, the starter course.
 * Found from this module's location by looking for coursepack's package.json, so it holds both
 * when the sources run directly and when the packed command line (dist/tool/cli.cjs) runs.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface PackageJson {
  name?: string;
  version?: string;
}

function readPackage(dir: string): PackageJson | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    return null;
  }
}

function findRoot(from: string): { root: string; version: string } {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = readPackage(dir);
    if (pkg?.name === 'coursepack') return { root: dir, version: pkg.version ?? '0.0.0' };
    if (dirname(dir) === dir) throw new Error(`coursepack: cannot find its own files above ${from}`);
  }
}

const found = findRoot(dirname(fileURLToPath(import.meta.url)));

export const ROOT = found.root;
export const VERSION = found.version;

/** Running as the packed command line (`dist/tool/`), not from the TypeScript sources. */
export const PACKED = !import.meta.url.endsWith('.ts');

/** A path inside coursepack's own folder. */
export const own = (...parts: string[]): string => join(ROOT, ...parts);
