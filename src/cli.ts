#!/usr/bin/env -S npx tsx
/**
 * coursepack command line: `build`, `check`. Prints progress per stage, every diagnostic as
 * file:line:column, and a summary; exits 1 when the course has errors.
 */
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TARGETS, type TargetName } from './model.ts';
import { build, kb, ms } from './build.ts';
import { compileCourse } from './course/compile.ts';
import { formatDiagnostic, formatSummary, type Diagnostics } from './diagnostics.ts';

const USAGE = `Usage: coursepack <command> [courseDir] [options]

Commands:
  build [courseDir]   build the packages (default course folder: course)
  check [courseDir]   validate the course without writing anything
  preview [courseDir] play the course in a local LMS stand-in; rebuilds on save

Options:
  --target, -t  targets, comma-separated: ${TARGETS.join(', ')} (default: those of course.yml)
  --out, -o     output folder (default: dist)
  --port, -p    preview: port on 127.0.0.1 (default: 4173; 0 picks a free one)
  --open        preview: open the browser
  --help, -h    show this help`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      target: { type: 'string', short: 't' },
      out: { type: 'string', short: 'o', default: 'dist' },
      help: { type: 'boolean', short: 'h' },
      port: { type: 'string', short: 'p', default: '4173' },
      open: { type: 'boolean' },
    },
  });
  const [command, courseArg = 'course'] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 1;
  }
  const courseDir = resolve(courseArg);
  let selected: TargetName[] | undefined;
  if (values.target) {
    const names = values.target.split(',').map((t) => t.trim()).filter(Boolean);
    const unknown = names.filter((n) => !(TARGETS as readonly string[]).includes(n));
    if (unknown.length > 0) {
      console.error(`error: unknown target ${unknown.map((u) => `\`${u}\``).join(', ')}\n    hint: use one or more of ${TARGETS.join(', ')}`);
      return 1;
    }
    selected = names as TargetName[];
  }

  const start = performance.now();
  if (command === 'check') {
    const { diagnostics, compiled } = await compileCourse(courseDir);
    report(diagnostics, courseDir);
    if (!compiled) return 1;
    const { course, interactions } = compiled;
    console.log(`✓ ${course.title}: ${course.modules.length} modules, ${course.pages.length} pages, ${interactions.size} interactions — ${formatSummary(diagnostics)} (${ms(performance.now() - start)})`);
    return 0;
  }
  if (command === 'build') {
    const outDir = resolve(values.out);
    const result = await build({ courseDir, outDir, targets: selected, progress: (line) => console.log(`  ${line}`) });
    report(result.diagnostics, courseDir);
    if (!result.compiled) {
      console.error(`✗ build failed: nothing was written; the previous ${relative(process.cwd(), outDir) || '.'}/ is untouched.`);
      return 1;
    }
    const { course, interactions } = result.compiled;
    const questions = [...interactions.values()].filter((i) => i.kind === 'question').length;
    console.log(`✓ ${course.title}: ${course.modules.length} modules, ${course.pages.length} pages, ${questions} questions, ${interactions.size} interactions`);
    for (const pkg of result.packages) {
      console.log(`  ${relative(process.cwd(), resolve(outDir, pkg.name))}  ${kb(pkg.bytes)}`);
    }
    console.log(`  built in ${ms(performance.now() - start)} — ${formatSummary(result.diagnostics)}`);
    return 0;
  }
  if (command === 'preview') {
    const target = selected?.[0] ?? 'scorm2004';
    if (selected && selected.length > 1) {
      console.error('error: preview plays one target\n    hint: e.g. --target scorm12');
      return 1;
    }
    const { startPreview } = await import('./preview/server.ts');
    const preview = await startPreview({ courseDir, target, port: Number(values.port), watch: true });
    console.log(`  preview of ${relative(process.cwd(), courseDir) || '.'} as ${target}: ${preview.url}`);
    console.log('  watching for changes; press Ctrl+C to stop');
    if (values.open) openBrowser(preview.url);
    return new Promise<number>(() => {}); // serves until interrupted
  }
  console.error(`error: unknown command \`${command}\`\n\n${USAGE}`);
  return 1;
}

function openBrowser(url: string): void {
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
