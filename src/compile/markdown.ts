/** The Markdown dialect of a course: CommonMark + GFM + front matter + generic directives. */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkDirective from 'remark-directive';
import type { Root } from 'mdast';
import type { Node } from 'unist';

const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).use(remarkDirective);

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
  let line = 0;
  starts.forEach((start, i) => {
    const piece = text.slice(start, starts[i + 1] ?? text.length);
    const tree = parseOne(piece);
    shift(tree, line, start);
    root.children.push(...tree.children);
    line += piece.split('\n').length - 1;
  });
  const end = { line: line + 1, column: text.length - text.lastIndexOf('\n'), offset: text.length };
  root.position = { start: { line: 1, column: 1, offset: 0 }, end };
  return root;
}

function parseOne(text: string): Root {
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
