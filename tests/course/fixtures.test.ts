/**
 * Fixture tests of compile and render: each folder under tests/fixtures/compile holds one page
 * (`input.md`), compiled on its own and rendered; its body must equal `expected.html` and its
 * diagnostics `diagnostics.txt`. An optional `context.json` places the page in a course (other
 * pages' files and ids, the assistant, the language, its role). A folder with a `course.yml` is a
 * whole course instead, for the checks across pages: every page's body, each after a
 * `<!-- page id -->` line. `UPDATE_FIXTURES=1` rewrites the expectations: review the diff before
 * committing it.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCourse } from '../../src/compile/compile.ts';
import { compilePage, type PageTask } from '../../src/compile/page.ts';
import { formatDiagnostic, Diagnostics } from '../../src/diagnostics.ts';
import type { Assistant } from '../../src/model.ts';
import { renderBody } from '../../src/render/body.ts';
import { renderSite } from '../../src/render/site.ts';
import { readStrings } from '../../src/themes.ts';

const ROOT = join(import.meta.dirname, '../fixtures/compile');
const update = process.env.UPDATE_FIXTURES === '1';

interface CaseContext {
  /** Other pages of the course: file → id. */
  pages?: Record<string, string>;
  assistant?: Assistant;
  language?: string;
  role?: PageTask['role'];
  id?: string;
}

interface Outcome {
  html: string;
  diagnostics: string;
}

const listed = (items: Diagnostics['items']): string => {
  const diagnostics = new Diagnostics();
  diagnostics.items.push(...items);
  return diagnostics.sorted().map((d) => `${formatDiagnostic(d)}\n`).join('');
};

async function runCourse(dir: string): Promise<Outcome> {
  const { compiled, diagnostics } = await compileCourse(dir);
  if (!compiled) return { html: '', diagnostics: listed(diagnostics.items) };
  const { bodies } = await renderSite(compiled);
  const html = compiled.course.pages.map((p) => `<!-- ${p.id} -->\n${bodies.get(p.id)!.html}\n`).join('');
  return { html, diagnostics: listed(diagnostics.items) };
}

async function runPage(dir: string): Promise<Outcome> {
  const contextFile = join(dir, 'context.json');
  const context: CaseContext = existsSync(contextFile) ? JSON.parse(readFileSync(contextFile, 'utf8')) : {};
  const id = context.id ?? 'input';
  const strings = readStrings('default', context.language ?? 'en');
  const assistant = context.assistant ?? { name: 'the course assistant', url: null };
  // Through JSON, as the page cache keeps it: the body must render the same from there.
  const result = JSON.parse(JSON.stringify(compilePage(
    { file: 'input.md', text: readFileSync(join(dir, 'input.md'), 'utf8'), role: context.role ?? 'page', id, moduleId: 'module' },
    { courseDir: dir, pageByFile: { ...context.pages, 'input.md': id }, strings },
  ))) as ReturnType<typeof compilePage>;
  return {
    html: result.page ? `${renderBody(result.page.body, { assistant, strings })}\n` : '',
    diagnostics: listed(result.diagnostics),
  };
}

const cases = readdirSync(ROOT, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

describe('compile and render fixtures', () => {
  it('has the cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  for (const name of cases) {
    it(name, async () => {
      const dir = join(ROOT, name);
      const actual = existsSync(join(dir, 'course.yml')) ? await runCourse(dir) : await runPage(dir);
      const htmlFile = join(dir, 'expected.html');
      const diagnosticsFile = join(dir, 'diagnostics.txt');
      if (update) {
        writeFileSync(htmlFile, actual.html);
        writeFileSync(diagnosticsFile, actual.diagnostics);
      }
      expect(actual.diagnostics).toBe(readFileSync(diagnosticsFile, 'utf8'));
      expect(actual.html).toBe(readFileSync(htmlFile, 'utf8'));
    });
  }
});
