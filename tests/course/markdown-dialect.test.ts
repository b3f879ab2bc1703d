/**
 * Pages are parsed with only the GFM constructs they can hold (see src/compile/markdown.ts): every
 * page of the course, the starter and the fixtures gives the same tree as with all of GFM.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dialectFor, parseMarkdown } from '../../src/compile/markdown.ts';

const ROOT = join(import.meta.dirname, '../..');

const pages = ['course', 'src/init/starter', 'tests/fixtures'].flatMap((dir) =>
  readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.md'))
    .map((e) => join(e.parentPath, e.name).slice(ROOT.length + 1)));

describe('the Markdown dialect', () => {
  it('finds the pages', () => {
    expect(pages.length).toBeGreaterThan(100);
  });

  it.each(pages)('%s parses as with all of GFM', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const whole = dialectFor(text, true);
    expect(parseMarkdown(text, Number.POSITIVE_INFINITY)).toEqual(whole.runSync(whole.parse(text)));
  });
});
