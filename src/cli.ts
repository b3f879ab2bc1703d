/**
 * coursepack command line: `init`, `build`, `check`, `preview`, `help`. Prints progress per stage,
 * every diagnostic as file:line:column, and a summary; exits 1 when the course has errors and 2
 * on an internal error.
 */
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { relative, resolve } from 'node:path';
import { TARGETS, type TargetName } from './model.ts';
import { build, kb, ms } from './build.ts';
import { formatDiagnostic, formatSummary, type Diagnostics } from './diagnostics.ts';
import { initCourse } from './init.ts';
import { VERSION } from './paths.ts';

const OPTIONS = {
  target: { type: 'string', short: 't', usage: '--target, -t <list>', text: `targets, comma-separated: ${TARGETS.join(', ')} (default: those of course.yml)` },
  out: { type: 'string', short: 'o', usage: '--out, -o <dir>', text: 'output folder (default: dist)' },
  port: { type: 'string', short: 'p', usage: '--port, -p <port>', text: 'port on 127.0.0.1 (default: 4173; 0 picks a free one)' },
  open: { type: 'boolean', usage: '--open', text: 'open the preview in the browser' },
  'no-cache': { type: 'boolean', usage: '--no-cache', text: 'build everything afresh, without the cache in node_modules/.cache/coursepack' },
  help: { type: 'boolean', short: 'h', usage: '--help, -h', text: 'show help' },
} as const;
type OptionName = keyof typeof OPTIONS;
type Values = { target?: string; out?: string; port?: string; open?: boolean; help?: boolean; 'no-cache'?: boolean };

interface Command {
  args: string;
  summary: string;
  options: OptionName[];
  run: (dir: string, values: Values) => Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  init: {
    args: '[dir]',
    summary: 'start a new course in dir (default: course): a small working course that shows every block',
    options: [],
    run: init,
  },
  build: {
    args: '[courseDir]',
    summary: 'build the packages of the course (default folder: course) into the output folder',
    options: ['target', 'out', 'no-cache'],
    run: buildCommand,
  },
  check: {
    args: '[courseDir]',
    summary: 'validate the course and report every problem; writes nothing',
    options: [],
    run: check,
  },
  preview: {
    args: '[courseDir]',
    summary: 'play the course in a local LMS stand-in; rebuilds on save',
    options: ['target', 'port', 'open'],
    run: preview,
  },
};

function usage(): string {
  const width = Math.max(...Object.entries(COMMANDS).map(([name, c]) => `${name} ${c.args}`.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${`${name} ${c.args}`.padEnd(width)}  ${c.summary}`);
  return `Usage: coursepack <command> [options]

Commands:
${lines.join('\n')}
  ${'help [command]'.padEnd(width)}  show the options of a command

Options: --version, -v  print the version; --help, -h  show help`;
}

function commandHelp(name: string): string {
  const command = COMMANDS[name]!;
  const options = [...command.options, 'help' as const].map((o) => OPTIONS[o]);
  const width = Math.max(...options.map((o) => o.usage.length));
  return `Usage: coursepack ${name} ${command.args}${command.options.length ? ' [options]' : ''}

${command.summary[0]!.toUpperCase()}${command.summary.slice(1)}.

Options:
${options.map((o) => `  ${o.usage.padEnd(width)}  ${o.text}`).join('\n')}`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') return print(VERSION);
  if (name === undefined || name === '--help' || name === '-h') return print(usage(), name ? 0 : 1);
  if (name === 'help') {
    const topic = rest[0];
    if (topic === undefined) return print(usage());
    if (!COMMANDS[topic]) return fail(`unknown command \`${topic}\``, `commands: ${Object.keys(COMMANDS).join(', ')}`);
    return print(commandHelp(topic));
  }
  const command = COMMANDS[name];
  if (!command) return fail(`unknown command \`${name}\``, `commands: ${Object.keys(COMMANDS).join(', ')}; see \`coursepack help\``);

  let parsed;
  try {
    const options = Object.fromEntries([...command.options, 'help' as const].map((o) => [o, OPTIONS[o]]));
    parsed = parseArgs({ args: rest, allowPositionals: true, strict: true, options });
  } catch (error) {
    return fail((error as Error).message.replace(/\. To specify a positional.*$/s, ''), `see \`coursepack help ${name}\``);
  }
  const values = parsed.values as Values;
  if (values.help) return print(commandHelp(name));
  if (parsed.positionals.length > 1) return fail(`${name} takes one folder`, `see \`coursepack help ${name}\``);
  return command.run(resolve(parsed.positionals[0] ?? 'course'), values);
}

function print(text: string, code = 0): number {
  console.log(text);
  return code;
}

function fail(message: string, hint: string): number {
  console.error(`error: ${message}\n    hint: ${hint}`);
  return 1;
}

/** The targets named by --target, or undefined for course.yml's; null after reporting an unknown one. */
function selectedTargets(values: Values): TargetName[] | undefined | null {
  if (!values.target) return undefined;
  const names = values.target.split(',').map((t) => t.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(TARGETS as readonly string[]).includes(n));
  if (unknown.length > 0) {
    fail(`unknown target ${unknown.map((u) => `\`${u}\``).join(', ')}`, `use one or more of ${TARGETS.join(', ')}`);
    return null;
  }
  return names as TargetName[];
}

async function init(dir: string): Promise<number> {
  const result = await initCourse(dir);
  const shown = relative(process.cwd(), dir) || '.';
  if (!result.ok) return fail(result.message.replace(dir, shown), result.hint);
  console.log(`✓ a new course in ${shown}/ (${result.files.filter((f) => f.includes('.')).length} files)`);
  console.log(`  next: coursepack preview ${shown}   play it in the browser; edits show on save`);
  console.log(`        coursepack build ${shown}     build every package into dist/`);
  return 0;
}

async function check(courseDir: string): Promise<number> {
  const start = performance.now();
  const { compileCourse } = await import('./compile/compile.ts');
  const { diagnostics, compiled } = await compileCourse(courseDir);
  report(diagnostics, courseDir);
  if (!compiled) return 1;
  const { course, interactions } = compiled;
  console.log(`✓ ${course.title}: ${course.modules.length} modules, ${course.pages.length} pages, ${interactions.size} interactions — ${formatSummary(diagnostics)} (${ms(performance.now() - start)})`);
  return 0;
}

async function buildCommand(courseDir: string, values: Values): Promise<number> {
  const start = performance.now();
  const targets = selectedTargets(values);
  if (targets === null) return 1;
  const outDir = resolve(values.out ?? 'dist');
  const cache = !values['no-cache'];
  const result = await build({ courseDir, outDir, targets, cache, progress: (line) => console.log(`  ${line}`) });
  report(result.diagnostics, courseDir);
  if (!result.summary) {
    console.error(`✗ build failed: nothing was written; the previous ${relative(process.cwd(), outDir) || '.'}/ is untouched.`);
    return 1;
  }
  const { title, modules, pages, questions, interactions } = result.summary;
  console.log(`✓ ${title}: ${modules} modules, ${pages} pages, ${questions} questions, ${interactions} interactions`);
  for (const pkg of result.packages) {
    console.log(`  ${relative(process.cwd(), resolve(outDir, pkg.name))}  ${kb(pkg.bytes)}`);
  }
  console.log(`  built in ${ms(performance.now() - start)} — ${formatSummary(result.diagnostics)}`);
  return 0;
}

async function preview(courseDir: string, values: Values): Promise<number> {
  const selected = selectedTargets(values);
  if (selected === null) return 1;
  if (selected && selected.length > 1) return fail('preview plays one target', 'e.g. --target scorm12');
  const target = selected?.[0] ?? 'scorm2004';
  const { targets } = await import('./targets/index.ts');
  if (targets[target].assemble) {
    return fail(`${target} has no player to preview`, 'import the built package into the LMS, or preview another target');
  }
  const { startPreview } = await import('./preview/server.ts');
  const server = await startPreview({ courseDir, target, port: Number(values.port ?? '4173'), watch: true });
  console.log(`  preview of ${relative(process.cwd(), courseDir) || '.'} as ${target}: ${server.url}`);
  console.log('  watching for changes; press Ctrl+C to stop');
  if (values.open) openBrowser(server.url);
  return new Promise<number>(() => {}); // serves until interrupted
}

function openBrowser(url: string): void {
  // Required here, not at start-up: loading child_process takes a few ms of every command.
  const { spawn } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  spawn(command, [url], { stdio: 'ignore', detached: true }).on('error', () => {
    console.warn(`  could not open a browser; visit ${url}`);
  }).unref();
}

function report(diagnostics: Diagnostics, courseDir: string): void {
  const base = relative(process.cwd(), courseDir);
  for (const d of diagnostics.sorted()) {
    const line = formatDiagnostic({ ...d, file: base ? `${base}/${d.file}` : d.file });
    (d.severity === 'error' ? console.error : console.warn)(line);
  }
  if (diagnostics.items.length > 0) console.error(formatSummary(diagnostics));
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    // A bug of ours, not a problem in the course: one line and a request to report it.
    const detail = process.env.COURSEPACK_DEBUG && error instanceof Error ? error.stack : String(error instanceof Error ? error.message : error).split('\n')[0];
    console.error(`internal error: ${detail} — a bug in coursepack, not in your course; please report it (COURSEPACK_DEBUG=1 prints the details)`);
    process.exitCode = 2;
  },
);
