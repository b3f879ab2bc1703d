/**
 * Fixture tests of compile and render: each folder under tests/fixtures/compile holds one page
 * (`input.md`), compiled on its own and rendered; its body must equal `expected.html` and its
 * diagnostics `diagnostics.txt`. An optional `context.json` places the page in a course (other
 * pages' files and ids, the assistant, the language, its role). `UPDATE_FIXTURES=1` rewrites the
 * expectations: review the diff before committing it.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePage, type PageTask } from '../../src/compile/page.ts';
import { formatDiagnostic, Diagnostics } from '../../src/diagnostics.ts';
import type { Assistant } from '../../src/model.ts';
import { renderBody } from '../../src/render/body.ts';
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

async function run(dir: string): Promise<{ html: string; diagnostics: string }> {
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
  const diagnostics = new Diagnostics();
  diagnostics.items.push(...result.diagnostics);
  const lines = diagnostics.sorted().map(formatDiagnostic);
  return {
    html: result.page ? `${renderBody(result.page.body, { assistant, strings })}\n` : '',
    diagnostics: lines.length ? `${lines.join('\n')}\n` : '',
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
      const actual = await run(dir);
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
