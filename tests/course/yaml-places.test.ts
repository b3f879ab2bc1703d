/**
 * A cached front matter is parsed again only when a problem needs a position: where a top-level
 * value stands is read off the text (`valuePlace`). Held to the parse's answer for every key of
 * every course.yml and front matter of the course, the starter and the fixtures.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument, type Node, type Scalar, type YAMLMap } from 'yaml';
import { Diagnostics } from '../../src/diagnostics.ts';
import { parsePlacedYaml, valuePlace } from '../../src/compile/yaml.ts';

const ROOT = join(import.meta.dirname, '../..');
const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---/;

const texts = ['course', 'src/init/starter', 'tests/fixtures'].flatMap((dir) =>
  readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && (e.name.endsWith('.md') || e.name === 'course.yml'))
    .map((e) => {
      const text = readFileSync(join(e.parentPath, e.name), 'utf8');
      return e.name === 'course.yml' ? text : FRONT_MATTER.exec(text)?.[1];
    })
    // The starter's course.yml is a template: its `{{placeholders}}` are filled in by `init`.
    .filter((text): text is string => text !== undefined && !text.includes('{{')));

describe('valuePlace', () => {
  it('finds the YAML texts', () => {
    expect(texts.length).toBeGreaterThan(90);
  });

  it('gives the place the parse gives, for every top-level key it answers', () => {
    let answered = 0;
    for (const text of texts) {
      if (!parsePlacedYaml(text, 'x.yml', 0, new Diagnostics())) continue;
      const lineCounter = new LineCounter();
      const doc = parseDocument(text, { lineCounter });
      for (const pair of (doc.contents as YAMLMap<Scalar, Node>).items) {
        const key = String(pair.key.value);
        const quick = valuePlace(text, key);
        if (!quick || !pair.value?.range) continue;
        answered += 1;
        const { line, col } = lineCounter.linePos(pair.value.range[0]);
        expect({ text, key, place: quick }).toEqual({ text, key, place: { line, column: col } });
      }
    }
    expect(answered).toBeGreaterThan(200);
  });

  it('leaves to the parse what the text alone does not tell', () => {
    expect(valuePlace('id:\n  on-the-next-line\n', 'id')).toBeNull();
    expect(valuePlace('id: &a one\n', 'id')).toBeNull();
    expect(valuePlace('id: one\nid: two\n', 'id')).toBeNull();
    expect(valuePlace('other:\n  id: nested\n', 'id')).toBeNull();
    expect(valuePlace('title: x\nid:   "spaced"\n', 'id')).toEqual({ line: 2, column: 7 });
  });
});
