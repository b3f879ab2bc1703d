/**
 * YAML with positions: course.yml and page front matter are parsed once, and any path in the
 * result can be traced back to the line and column the author wrote it at. A text read before
 * without a problem is not parsed again: its data comes from a YamlCache (compile keeps one per
 * build, and the build cache one between builds), and it is parsed only if a position is asked for.
 */
import { LineCounter, parseDocument, isAlias, isMap, isNode, visit, type Document } from 'yaml';
import { Diagnostics } from '../diagnostics.ts';

/** Texts that read cleanly as a map of settings, and their data (plain JSON). */
export type YamlCache = Map<string, Record<string, unknown>>;

export interface PlacedYaml {
  data: Record<string, unknown>;
  /** Where the value (or, with `key`, the key) at a path was written; the document start if unknown. */
  placeOf(path: (string | number)[], key?: boolean): { line: number; column: number };
}

/**
 * @param lineOffset lines before the YAML text in its file (front matter starts after `---`).
 * Returns null when the YAML cannot be read; every syntax error is reported.
 */
export function parsePlacedYaml(
  text: string,
  file: string,
  lineOffset: number,
  diagnostics: Diagnostics,
  cache?: YamlCache,
): PlacedYaml | null {
  let parsed: { doc: Document; lineCounter: LineCounter } | undefined;
  const parse = () => {
    if (!parsed) {
      const lineCounter = new LineCounter();
      parsed = { doc: parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true }), lineCounter };
    }
    return parsed;
  };
  const at = (offset: number) => {
    const { line, col } = parse().lineCounter.linePos(offset);
    return { line: line + lineOffset, column: col };
  };
  // Pages ask where their `id` and `title` are even when all is well: read that off the text.
  const placeOf: PlacedYaml['placeOf'] = (path, key) => {
    const quick = path.length === 1 && !key ? valuePlace(text, String(path[0])) : null;
    return quick ? { line: quick.line + lineOffset, column: quick.column } : placeIn(parse().doc, path, key, at);
  };
  const known = cache?.get(text);
  if (known) return { data: known, placeOf };
  const { doc } = parse();
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const reason = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      diagnostics.error('yaml-syntax', file, at(error.pos[0]), `Invalid YAML: ${reason}`,
        'Check indentation and quoting; a value containing ": " or starting with a special character needs quotes.');
    }
    return null;
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch {
    // Aliases that expand without bound (a "billion laughs" document) are refused, not expanded.
    diagnostics.error('yaml-aliases', file, at(firstAlias(doc)), 'Invalid YAML: its aliases (`*name`) expand too far',
      'Write the values out instead of repeating them with `&anchor` and `*alias`.');
    return null;
  }
  if (typeof data !== 'object' || Array.isArray(data) || !isMap(doc.contents)) {
    diagnostics.error('yaml-not-a-map', file, at(0), 'Expected a list of `key: value` settings',
      'Write one setting per line, for example `title: My course`.');
    return null;
  }
  if (cache && isJson(data)) cache.set(text, data as Record<string, unknown>);
  return { data: data as Record<string, unknown>, placeOf };
}

/**
 * The settings of a YAML text, or null when it is not a clean map of settings: a quick look, e.g.
 * at the id and title in a page's front matter, which leaves the text's problems to the page's
 * compile. With the same cache, that compile then reads the data without parsing again.
 */
export const yamlData = (text: string, cache?: YamlCache): Record<string, unknown> | null =>
  parsePlacedYaml(text, '', 0, new Diagnostics(), cache)?.data ?? null;

/**
 * Where the value of a top-level key starts, read off the text: a line `key: value` at the start
 * of a line, once, with a value that starts with a letter, digit or quote (as in `id: lesson-one`).
 * Null where only a parse can tell. A test holds it to the parse's answer.
 */
export function valuePlace(text: string, key: string): { line: number; column: number } | null {
  if (!/^[A-Za-z][\w-]*$/.test(key)) return null;
  let found: { line: number; column: number } | null = null;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith(`${key}:`)) continue;
    const value = /^[ \t]+(?=[A-Za-z0-9"'])/.exec(lines[i].slice(key.length + 1));
    if (!value || found) return null;
    found = { line: i + 1, column: key.length + 2 + value[0].length };
  }
  return found;
}

/** Whether a value comes back the same through JSON (YAML's `.inf` and `.nan` would not). */
function isJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(isJson);
  return typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype && Object.values(value).every(isJson);
}

function firstAlias(doc: Document): number {
  let offset = 0;
  visit(doc, {
    Alias(_, node) {
      if (isAlias(node) && node.range) offset = node.range[0];
      return visit.BREAK;
    },
  });
  return offset;
}

function placeIn(
  doc: Document,
  path: (string | number)[],
  key: boolean | undefined,
  at: (offset: number) => { line: number; column: number },
) {
  // Walk down as far as the path exists; the deepest node found is the best place to point at.
  let node: unknown = doc.contents;
  let place = at(0);
  for (const step of path) {
    if (!isMap(node) && !(isNode(node) && 'items' in node)) break;
    const collection = node as { items: unknown[] };
    const pair = isMap(node)
      ? (node.items.find((p) => isNode(p.key) && (p.key as { value?: unknown }).value === step) as
          | { key: { range?: number[] }; value: unknown }
          | undefined)
      : undefined;
    if (pair) {
      if (key && step === path[path.length - 1] && pair.key.range) return at(pair.key.range[0]);
      node = pair.value;
    } else if (typeof step === 'number' && Array.isArray(collection.items)) {
      node = collection.items[step];
    } else break;
    const range = (node as { range?: number[] } | undefined)?.range;
    if (range) place = at(range[0]);
  }
  return place;
}
