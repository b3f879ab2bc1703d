/**
 * Builds what the npm package ships, into `dist/tool/`:
 * - `cli.js`: the command line as one JavaScript file, our sources and the libraries they use,
 *   so an author's install needs no compiler and a command starts without resolving hundreds of
 *   modules;
 * - `runtime/<entry>.js`: the browser runtime bundles, which do not depend on the course, so a
 *   build only reads them;
 * - `templates.js`: every theme's layouts, precompiled by handlebars;
 * - `course.schema.json`: the JSON Schema of `course.yml`, for editors.
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

/** Written aside and swapped in whole, so a command running meanwhile never loads half a tool. */
export async function packTool(): Promise<void> {
  const staging = `${TOOL_DIR}.${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(join(staging, 'runtime'), { recursive: true });
  const cli = await build({
    entryPoints: [own('src', 'cli.ts')],
    outdir: staging,
    entryNames: 'cli',
    // The compiler, renderer and targets load only when a build needs them: `--version`, `help`
    // and an up-to-date build start without them.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minifySyntax: true,
    minifyWhitespace: true,
    // Only the sources' own runtime bundler needs esbuild; the packed tool reads prebuilt bundles.
    external: ['esbuild'],
    // Some libraries are CommonJS and call require().
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __cpRequire } from 'node:module'; const require = __cpRequire(import.meta.url);",
    },
    plugins: [precompiledValidators],
    legalComments: 'none',
    metafile: true,
    logLevel: 'error',
  });
  await writeFile(join(staging, 'THIRD-PARTY-LICENSES.md'), await licenseNotices(Object.keys(cli.metafile.inputs)));
  await Promise.all(RUNTIME_ENTRIES.map((entry) =>
    build({ ...runtimeBuildOptions(entry), write: true, outfile: join(staging, 'runtime', `${entry}.js`) })));
  await writeFile(join(staging, 'templates.js'), await precompiledLayouts());
  const schema = { $schema: 'http://json-schema.org/draft-07/schema#', title: 'coursepack course.yml', ...courseSchema };
  await writeFile(join(staging, 'course.schema.json'), `${JSON.stringify(schema, null, 2)}\n`);
  await chmod(join(staging, 'cli.js'), 0o755);
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

/** Every theme's layouts, precompiled, by the key render/theme.ts looks them up with. */
async function precompiledLayouts(): Promise<string> {
  const entries: string[] = [];
  for (const theme of (await readdir(own('themes'))).sort()) {
    for (const [name, options] of Object.entries(LAYOUTS)) {
      const file = own('themes', theme, `${name}.hbs`);
      if (!existsSync(file)) continue;
      const source = await readFile(file, 'utf8');
      entries.push(`${JSON.stringify(layoutKey(source, options))}: ${Handlebars.precompile(source, options)}`);
    }
  }
  return `export default {\n${entries.join(',\n')}\n};\n`;
}

/** The name, version and licence text of every library bundled into cli.js, as their licences ask. */
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
  return `# Libraries bundled into cli.js\n\n${sections.sort().join('\n')}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await packTool();
  console.log('packed the command line and the runtime bundles into dist/tool/');
}
