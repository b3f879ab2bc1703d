/**
 * The Markdown dialect of a course: CommonMark + GFM + front matter + generic directives.
 * Each GFM construct starts with characters of its own; a page that has none of them is parsed
 * without it, to the same tree (a test holds the two equal), at a good part of the cost.
 */
import { unified, type Processor } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import remarkDirective from 'remark-directive';
import { gfmAutolinkLiteral } from 'micromark-extension-gfm-autolink-literal';
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import type { Extension as SyntaxExtension } from 'micromark-util-types';
import type { Extension as TreeExtension } from 'mdast-util-from-markdown';
import type { Root } from 'mdast';
import type { Node } from 'unist';

interface GfmConstruct {
  /** Whether the construct can occur in a text: true wherever it might. */
  mayOccurIn(text: string): boolean;
  syntax: () => SyntaxExtension;
  tree: () => TreeExtension;
}

/** GFM's constructs in remark-gfm's order, each with the characters it cannot do without. */
const GFM: GfmConstruct[] = [
  // `www.`, `http://`, `https://`, an e-mail address (`mailto:` and `xmpp:` ones have an `@` too).
  { mayOccurIn: (t) => /www\.|:\/\/|@/i.test(t), syntax: gfmAutolinkLiteral, tree: gfmAutolinkLiteralFromMarkdown },
  { mayOccurIn: (t) => t.includes('[^'), syntax: gfmFootnote, tree: gfmFootnoteFromMarkdown },
  { mayOccurIn: (t) => t.includes('~'), syntax: () => gfmStrikethrough(), tree: gfmStrikethroughFromMarkdown },
  { mayOccurIn: (t) => t.includes('|'), syntax: gfmTable, tree: gfmTableFromMarkdown },
  { mayOccurIn: (t) => t.includes('['), syntax: gfmTaskListItem, tree: gfmTaskListItemFromMarkdown },
];

/** One processor per set of GFM constructs, made when first needed. */
const dialects = new Map<string, Processor>();

/** The parser for a text: all of GFM with `full`, otherwise the constructs that can occur in it. */
export function dialectFor(text: string, full = false): Processor {
  const used = GFM.filter((c) => full || c.mayOccurIn(text));
  const key = used.map((c) => GFM.indexOf(c)).join();
  let processor = dialects.get(key);
  if (!processor) {
    processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(gfmConstructs, used).use(remarkDirective) as unknown as Processor;
    dialects.set(key, processor);
  }
  return processor;
}

/** remark-gfm's parsing half, for some of its constructs. */
function gfmConstructs(this: Processor, constructs: GfmConstruct[]): void {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(...constructs.map((c) => c.syntax()));
  (data.fromMarkdownExtensions ??= []).push(...constructs.map((c) => c.tree()));
}

/** Below this size a page is parsed in one piece. */
export const CHUNK_CHARS = 16_000;

/**
 * The parser rebuilds its whole list of events each time a quote or list item closes, so a long
 * page is parsed in pieces, cut only where nothing can carry over: after a blank line, before an
 * unindented line that starts with a letter or `#`, outside fenced code, blocks and HTML. Pages
 * with link or footnote definitions (they resolve across the page) are parsed whole.
 */
export function parseMarkdown(text: string, chunkChars = CHUNK_CHARS): Root {
  const cuts = text.length > chunkChars && !text.includes(']:') ? cutPoints(text, chunkChars) : [];
  if (cuts.length === 0) return parseOne(text);
  const root: Root = { type: 'root', children: [] };
  const starts = [0, ...cuts];
  // The parser does not count a byte order mark in offsets: nor may the pieces after it.
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 0;
  starts.forEach((start, i) => {
    const piece = text.slice(start, starts[i + 1] ?? text.length);
    const tree = parseOne(piece);
    shift(tree, line, i === 0 ? 0 : start - bom);
    root.children.push(...tree.children);
    line += piece.split('\n').length - 1;
  });
  const end = { line: line + 1, column: text.length - text.lastIndexOf('\n'), offset: text.length - bom };
  root.position = { start: { line: 1, column: 1, offset: 0 }, end };
  return root;
}

function parseOne(text: string): Root {
  const parser = dialectFor(text);
  return parser.runSync(parser.parse(text)) as Root;
}

/** Offsets where the text may be cut, at least `every` characters apart. */
function cutPoints(text: string, every: number): number[] {
  const cuts: number[] = [];
  let fence: string | null = null;
  let blocks = 0;
  let comment = false;
  let blank = false;
  let last = 0;
  for (let start = 0; start < text.length;) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end < 0 ? text.length : end);
    const next = end < 0 ? text.length : end + 1;
    if (fence) {
      if (new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`).test(line)) fence = null;
    } else if (comment) {
      if (line.includes('-->')) comment = false;
    } else {
      if (blank && blocks === 0 && start - last >= every && /^[A-Za-z#]/.test(line)) {
        cuts.push(start);
        last = start;
      }
      const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
      if (open) fence = open[1];
      else if (/^ {0,3}<!--/.test(line) && !line.includes('-->')) comment = true;
      else if (/^ {0,3}<(script|pre|style|textarea|\?|![A-Z[])/i.test(line)) return []; // HTML that spans blank lines
      else if (/^\s*:{3,}[A-Za-z]/.test(line)) blocks += 1;
      else if (/^\s*:{3,}\s*$/.test(line)) blocks = Math.max(0, blocks - 1);
    }
    blank = line.trim() === '';
    start = next;
  }
  return cuts;
}

/** Moves the positions of a piece's nodes to where the piece stands in the page. */
function shift(tree: Root, lines: number, offset: number): void {
  const stack: Node[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const point of node.position ? [node.position.start, node.position.end] : []) {
      point.line += lines;
      if (point.offset !== undefined) point.offset += offset;
    }
    if ('children' in node) stack.push(...(node.children as Node[]));
  }
}
