/**
 * Builds what the npm package ships, into `dist/tool/`:
 * - `coursepack.cjs`: the command line as one CommonJS file, our sources and the libraries they
 *   use, so an author's install needs no compiler and a command starts without resolving
 *   hundreds of modules; one script, so that V8 can keep its compiled code between commands;
 * - `cli.cjs`: the entry (`bin`), which runs `coursepack.cjs` through that code cache (launcher.ts);
 * - `runtime/<entry>.js`: the browser runtime bundles, which do not depend on the course, so a
 *   build only reads them;
 * - `course.schema.json`: the JSON Schema of `course.yml`, for editors.
 * The command line carries its validators and every theme's layouts compiled in advance.
 * Run by `npm run build` and before `npm pack` / `npm publish` (`tsx src/pack.ts`).
 */
import { Ajv } from 'ajv';
// CommonJS: the function is its `default`.
import ajvStandalone from 'ajv/dist/standalone/index.js';
import { build, type Plugin } from 'esbuild';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import Handlebars from 'handlebars';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { courseSchema, SCHEMAS } from './compile/schemas.ts';
import { AJV_OPTIONS } from './compile/validators.ts';
import { own } from './paths.ts';
import { LAYOUTS, layoutKey } from './render/theme.ts';
import { RUNTIME_ENTRIES, runtimeBuildOptions } from './runtime/bundle.ts';

export const TOOL_DIR = own('dist', 'tool');
const PACKED_CLI = 'coursepack.cjs';
/** The command line's entry, package.json's `bin`. */
const ENTRY = 'cli.cjs';

/** Written aside and swapped in whole, so a command running meanwhile never loads half a tool. */
export async function packTool(): Promise<void> {
  const staging = `${TOOL_DIR}.${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(join(staging, 'runtime'), { recursive: true });
  const cli = await build({
    entryPoints: [own('src', 'cli.ts')],
    outfile: join(staging, PACKED_CLI),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minifySyntax: true,
    minifyWhitespace: true,
    // Only the sources' own runtime bundler needs esbuild; the packed tool reads prebuilt bundles.
    external: ['esbuild'],
    // paths.ts finds coursepack's files from its own location.
    define: { 'import.meta.url': '__coursepackUrl' },
    banner: { js: "var __coursepackUrl = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [precompiledValidators, precompiledLayouts],
    legalComments: 'none',
    metafile: true,
    logLevel: 'error',
  });
  await build({
    stdin: { contents: "import { launch } from './src/launcher.ts';\nlaunch(__filename);\n", resolveDir: own(), loader: 'ts' },
    outfile: join(staging, ENTRY),
    bundle: true,
    platform: 'node',
    // CommonJS: Node starts a CommonJS entry some 10-20 ms sooner than a module.
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'error',
  });
  await writeFile(join(staging, 'THIRD-PARTY-LICENSES.md'), await licenseNotices(Object.keys(cli.metafile.inputs)));
  await Promise.all(RUNTIME_ENTRIES.map((entry) =>
    build({ ...runtimeBuildOptions(entry), write: true, outfile: join(staging, 'runtime', `${entry}.js`) })));
  const schema = { $schema: 'http://json-schema.org/draft-07/schema#', title: 'coursepack course.yml', ...courseSchema };
  await writeFile(join(staging, 'course.schema.json'), `${JSON.stringify(schema, null, 2)}\n`);
  await chmod(join(staging, ENTRY), 0o755);
  await rm(TOOL_DIR, { recursive: true, force: true });
  await rename(staging, TOOL_DIR);
}

/** Swaps validators.ts for ajv's standalone code of the same validators: nothing to compile at start-up. */
const precompiledValidators: Plugin = {
  name: 'precompiled-validators',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]compile[\\/]validators\.ts$/ }, () => {
      const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: true }, schemas: SCHEMAS });
      const names = Object.keys(SCHEMAS);
      const code = ajvStandalone.default(ajv, Object.fromEntries(names.map((name) => [name, name])));
      const lookup = `const validators = { ${names.join(', ')} };\nexport const validatorOf = (name) => validators[name];\n`;
      return { contents: `${code}\n${lookup}`, loader: 'js', resolveDir: own() };
    });
  },
};

/** Fills in precompiled-layouts.ts: every theme's layouts, precompiled, by the key theme.ts looks them up with. */
const precompiledLayouts: Plugin = {
  name: 'precompiled-layouts',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]render[\\/]precompiled-layouts\.ts$/ }, async () => {
      const entries: string[] = [];
      for (const theme of (await readdir(own('themes'))).sort()) {
        for (const [name, options] of Object.entries(LAYOUTS)) {
          const file = own('themes', theme, `${name}.hbs`);
          if (!existsSync(file)) continue;
          const source = await readFile(file, 'utf8');
          entries.push(`${JSON.stringify(layoutKey(source, options))}: ${Handlebars.precompile(source, options)}`);
        }
      }
      return { contents: `export const PRECOMPILED = {\n${entries.join(',\n')}\n};\n`, loader: 'js' };
    });
  },
};

/** The name, version and licence text of every library bundled into the command line, as their licences ask. */
async function licenseNotices(inputs: string[]): Promise<string> {
  const packageDirs = new Set<string>();
  for (const input of inputs) {
    // The innermost node_modules/<name> (or <@scope/name>) holding the file is its package.
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) packageDirs.add(match[1]!);
  }
  const sections = await Promise.all([...packageDirs].map(async (dir) => {
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { name: string; version: string; license?: string };
    const file = (await readdir(dir)).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const text = file ? (await readFile(join(dir, file), 'utf8')).trim() : `License: ${pkg.license ?? 'see the package'}`;
    return `## ${pkg.name} ${pkg.version}\n\n${text}\n`;
  }));
  return `# Libraries bundled into ${PACKED_CLI}\n\n${sections.sort().join('\n')}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await packTool();
  console.log('packed the command line and the runtime bundles into dist/tool/');
}
