/**
 * Every problem the compiler finds is a Diagnostic with a place in the author's files and a hint.
 * Checks never throw on bad input: they report and carry on, so one run lists every problem.
 */
import type { SourcePlace } from './model.ts';

export type Severity = 'error' | 'warning';

export interface Diagnostic extends SourcePlace {
  severity: Severity;
  message: string;
  hint?: string;
  /** A short name of the check, e.g. `duplicate-id`: what to search the authoring guide for. */
  rule: string;
}

interface Point {
  line?: number;
  column?: number;
}

export class Diagnostics {
  readonly items: Diagnostic[] = [];

  report(
    severity: Severity,
    rule: string,
    file: string,
    place: Point | undefined,
    message: string,
    hint?: string,
  ): void {
    this.items.push({
      severity,
      rule,
      file,
      line: place?.line ?? 1,
      column: place?.column ?? 1,
      message,
      hint,
    });
  }

  error(rule: string, file: string, place: Point | undefined, message: string, hint?: string): void {
    this.report('error', rule, file, place, message, hint);
  }

  warn(rule: string, file: string, place: Point | undefined, message: string, hint?: string): void {
    this.report('warning', rule, file, place, message, hint);
  }

  get errors(): Diagnostic[] {
    return this.items.filter((d) => d.severity === 'error');
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }

  /** In reading order: by file, then line, then column. */
  sorted(): Diagnostic[] {
    return [...this.items].sort(
      (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
    );
  }
}

/** `file:line:column: error: message [rule]` and an indented hint, as compilers print them. */
export function formatDiagnostic(d: Diagnostic): string {
  const head = `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.rule}]`;
  return d.hint ? `${head}\n    hint: ${d.hint}` : head;
}

export function formatSummary(diagnostics: Diagnostics): string {
  const errors = diagnostics.errors.length;
  const warnings = diagnostics.items.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}
