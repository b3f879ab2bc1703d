/**
 * Size and depth limits that keep a build linear in its input. The Markdown parser recurses into
 * nested quotes and lists and is quadratic within one block of text and within one run of `*`/`_`,
 * so a page is checked line by line before it is parsed; one that exceeds a limit is refused with
 * an error at the place, instead of a stack overflow or a build that never ends.
 * The limits are documented in docs/authoring.md ("Limits").
 */
import type { Diagnostics } from '../diagnostics.ts';

export const LIMITS = {
  /** Bytes of one Markdown file. */
  fileBytes: 10 * 1024 * 1024,
  /** Quotes and list items nested in each other. */
  nesting: 100,
  /** Characters of text without a blank line (one paragraph, table or list). */
  block: 100_000,
  /** Consecutive `*` or `_` outside a line of only those (a thematic break). */
  delimiterRun: 100,
  /** List items and quoted lines with no paragraph between them (the parser is quadratic in them). */
  listItems: 1_000,
  /** Blocks (`:::name`) open inside each other. */
  blocks: 10,
  /** Link and footnote definitions (`[label]: …`, `[^label]: …`) in one page: each reference looks them all up. */
  definitions: 200,
  /** Characters of a course, module or page title. */
  title: 200,
} as const;

type Place = { line: number; column: number };

const number = (n: number) => n.toLocaleString('en');

/** The nesting a line opens: its `>` and list markers, and its indentation (two columns a level). */
function nestingOf(line: string): { depth: number; column: number } {
  let i = 0;
  let columns = 0;
  let markers = 0;
  for (;;) {
    const c = line[i];
    if (c === ' ') columns += 1;
    else if (c === '\t') columns += 4 - (columns % 4);
    else if (c === '>') markers += 1;
    else if ((c === '-' || c === '*' || c === '+') && /[ \t]|$/.test(line[i + 1] ?? '')) markers += 1;
    else {
      const ordered = /^\d{1,9}[.)](?=[ \t]|$)/.exec(line.slice(i, i + 11));
      if (!ordered) break;
      markers += 1;
      i += ordered[0].length - 1;
    }
    if (markers + Math.floor(columns / 2) > LIMITS.nesting) break;
    i += 1;
  }
  return { depth: markers + Math.floor(columns / 2), column: i + 1 };
}

/** Column of the first run of more than the limit of `*` or `_`, or 0. */
function longDelimiterRun(line: string): number {
  if (line.length <= LIMITS.delimiterRun) return 0;
  if (/^[ \t]*([*_])(?:[ \t]*\1)*[ \t]*$/.test(line)) return 0; // a thematic break
  let run = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    run = c !== '*' && c !== '_' ? 0 : c === line[i - 1] ? run + 1 : 1;
    if (run > LIMITS.delimiterRun) return i - run + 2;
  }
  return 0;
}

/**
 * Checks a page's text before it is parsed; reports each kind of excess once, at its first place.
 * Returns false when the page must not be parsed.
 */
export function checkPageText(file: string, text: string, diagnostics: Diagnostics): boolean {
  if (Buffer.byteLength(text) > LIMITS.fileBytes) {
    diagnostics.error('too-large', file, undefined, `The file is larger than ${LIMITS.fileBytes / 1024 / 1024} MB`,
      'Split it into several pages.');
    return false;
  }
  const found = new Set<string>();
  const report = (rule: string, place: Place, message: string, hint: string) => {
    if (found.has(rule)) return;
    found.add(rule);
    diagnostics.error(rule, file, place, message, hint);
  };
  // Front matter is YAML, not Markdown: the YAML parser is linear, and its own limits apply.
  const front = /^---\r?\n(?:[\s\S]*?\r?\n)?---[ \t]*(?:\r?\n|$)/.exec(text)?.[0] ?? '';
  let blockStart = 0;
  let blockLength = 0;
  let line = front.split('\n').length - 1;
  let openBlocks = 0;
  let definitions = 0;
  let items = 0;
  let itemsStart = 0;
  let blank = true;
  for (let start = front.length; start <= text.length; line++) {
    const end = text.indexOf('\n', start);
    const content = text.slice(start, end < 0 ? text.length : end);
    start = end < 0 ? text.length + 1 : end + 1;
    if (content.trim() === '') {
      blockLength = 0;
      blank = true;
      continue;
    }
    // A paragraph or heading at the margin after a blank line ends every list and quote.
    if (blank && /^[A-Za-z#]/.test(content)) items = 0;
    blank = false;
    if (/^\s*(>|[-*+](\s|$)|\d{1,9}[.)](\s|$))/.test(content)) {
      if (items === 0) itemsStart = line;
      if (++items > LIMITS.listItems) {
        report('list-too-long', { line: itemsStart + 1, column: 1 },
          `More than ${number(LIMITS.listItems)} list items and quoted lines with no paragraph between them`,
          'Split the list, or put a line of text between its parts: a longer run makes the Markdown parser slow.');
      }
    }
    if (blockLength === 0) blockStart = line;
    blockLength += content.length + 1;
    if (blockLength > LIMITS.block) {
      report('block-too-long', { line: blockStart + 1, column: 1 },
        `More than ${number(LIMITS.block)} characters without a blank line`,
        'Split the text into paragraphs with blank lines: a longer block makes the Markdown parser slow.');
    }
    const nesting = nestingOf(content);
    if (nesting.depth > LIMITS.nesting) {
      report('nesting-too-deep', { line: line + 1, column: nesting.column },
        `Quotes and lists are nested more than ${LIMITS.nesting} levels deep`,
        'Flatten the structure; deeper nesting cannot be shown and would overflow the parser.');
    }
    if (/^\s*:{3,}[A-Za-z]/.test(content)) openBlocks += 1;
    else if (/^\s*:{3,}\s*$/.test(content)) openBlocks = Math.max(0, openBlocks - 1);
    if (openBlocks > LIMITS.blocks) {
      report('blocks-too-deep', { line: line + 1, column: 1 }, `Blocks are nested more than ${LIMITS.blocks} levels deep`,
        'Is a closing `:::` missing? Every block ends with a line of colons.');
    }
    if (/^ {0,3}\[[^\]]+\]:/.test(content) && ++definitions > LIMITS.definitions) {
      report('too-many-definitions', { line: line + 1, column: 1 }, `More than ${LIMITS.definitions} link or footnote definitions in one page`,
        'Write links inline, `[text](url)`, or split the page: every reference looks up all definitions.');
    }
    const run = longDelimiterRun(content);
    if (run > 0) {
      report('delimiter-run', { line: line + 1, column: run },
        `A run of more than ${LIMITS.delimiterRun} \`*\` or \`_\``,
        'Shorten it, or escape the characters (`\\*`): long runs make the Markdown parser slow.');
    }
  }
  return found.size === 0;
}

/** Reports a title over the limit; returns false then. */
export function checkTitle(
  title: unknown,
  file: string,
  place: Place | undefined,
  what: 'course' | 'module' | 'page',
  diagnostics: Diagnostics,
): boolean {
  if (typeof title !== 'string' || [...title].length <= LIMITS.title) return true;
  diagnostics.error('title-too-long', file, place,
    `The ${what} title is ${number([...title].length)} characters long; at most ${LIMITS.title} are allowed`,
    'Shorten it: LMSs show titles in lists and manifests, and SCORM 2004 guarantees only 200 characters.');
  return false;
}
