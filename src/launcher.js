#!/usr/bin/env node
/**
 * Starts the coursepack command line fast. The TypeScript sources and their dependencies are
 * bundled by esbuild into one file under node_modules/.cache/coursepack/, rebuilt whenever a
 * source is newer than the bundle; loading one file takes a fraction of the time that resolving
 * hundreds of modules does.
 */
import { build } from 'esbuild';
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'node_modules', '.cache', 'coursepack', 'cli.mjs');

/** Newest modification time of the sources and the installed dependencies. */
function newestSource() {
  let newest = Math.max(statSync(join(root, 'package.json')).mtimeMs, statSync(join(root, 'package-lock.json')).mtimeMs);
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(root, 'src'));
  return newest;
}

function bundleTime() {
  try {
    return statSync(bundle).mtimeMs;
  } catch {
    return -1;
  }
}

if (bundleTime() < newestSource()) {
  mkdirSync(dirname(bundle), { recursive: true });
  const result = await build({
    entryPoints: [join(root, 'src', 'cli.ts')],
    outfile: bundle,
    write: false,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // esbuild ships a native binary; the browser runtime is bundled at build time from sources.
    external: ['esbuild'],
    // Some dependencies are CommonJS and call require().
    banner: { js: "import { createRequire as __cpRequire } from 'node:module'; const require = __cpRequire(import.meta.url);" },
    logLevel: 'error',
  });
  // Written aside and renamed: a second command starting meanwhile never loads half a file.
  const temporary = `${bundle}.${process.pid}`;
  writeFileSync(temporary, result.outputFiles[0].contents);
  renameSync(temporary, bundle);
}
await import(pathToFileURL(bundle).href);
