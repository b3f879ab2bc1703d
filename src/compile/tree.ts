/**
 * One pass over a freshly parsed page, before anything else reads it (iteratively: a deep tree
 * must not overflow the stack). It gives text directives back as the text the author wrote, and
 * reports what would otherwise be lost without a word: raw HTML, a directive line that did not
 * parse, a block that is never closed, a tree nested too deeply to render.
 */
import type { Root, RootContent, Parent, Text, Paragraph, Html } from 'mdast';
import type { ContainerDirective, TextDirective } from 'mdast-util-directive';
import type { Diagnostics } from '../diagnostics.ts';
import { LIMITS } from './limits.ts';

interface TreeContext {
  file: string;
  source: string;
  diagnostics: Diagnostics;
}

type Node = Root | RootContent;

/** Nodes whose content is inline: no block, heading or definition stands inside them. */
export const holdsInlineOnly = (node: { type: string }): boolean =>
  node.type === 'paragraph' || node.type === 'heading' || node.type === 'table';

/** The directive line of a paragraph that was meant to open a block, e.g. `:::question{#q1`. */
const DIRECTIVE_LINE = /^(:{2,})([A-Za-z][\w-]*)/;

/** Returns false when the tree is too deep to be rendered (reported). */
export function normaliseTree(tree: Root, ctx: TreeContext): boolean {
  const stack: { node: Node; depth: number }[] = [{ node: tree, depth: 0 }];
  let tooDeep = false;
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (depth > LIMITS.nesting * 2) {
      if (!tooDeep) {
        ctx.diagnostics.error('nesting-too-deep', ctx.file, node.position?.start,
          `The page is nested more than ${LIMITS.nesting * 2} levels deep`,
          'Flatten the structure: emphasis, quotes and lists this deep cannot be shown.');
      }
      tooDeep = true;
      continue;
    }
    if (node.type === 'html') reportHtml(node, ctx);
    else if (node.type === 'paragraph') checkParagraph(node, ctx);
    else if (node.type === 'containerDirective') checkClosed(node, ctx);
    if (!('children' in node)) continue;
    const parent = node as Parent;
    if (parent.children.some((c) => c.type === 'textDirective')) {
      parent.children = parent.children.map((c) => (c.type === 'textDirective' ? literal(c as TextDirective, ctx) : c));
    }
    for (let i = parent.children.length - 1; i >= 0; i--) stack.push({ node: parent.children[i], depth: depth + 1 });
  }
  return !tooDeep;
}

/**
 * The dialect has no inline directives: `word:word` in prose is text. One written with a label or
 * attributes (`:abbr[HTML]{title="…"}`) was meant as a directive, which is worth a warning.
 */
function literal(node: TextDirective, ctx: TreeContext): Text {
  const { start, end } = node.position ?? {};
  const value = start?.offset !== undefined && end?.offset !== undefined
    ? ctx.source.slice(start.offset, end.offset) : `:${node.name}`;
  if (/^:[\w-]+[[{]/.test(value)) {
    ctx.diagnostics.warn('inline-directive', ctx.file, start, `\`:${node.name}\` is shown as written: there are no inline directives`,
      'Blocks start a line with `:::`; to show a colon before a word as text, write `\\:`.');
  }
  return { type: 'text', value, position: node.position };
}

function reportHtml(node: Html, ctx: TreeContext): void {
  const html = node.value.trim();
  // Comments are the author's notes, and a closing tag belongs to an opening one already reported.
  if (html.startsWith('<!--') || html.startsWith('</')) return;
  const shown = html.length > 40 ? `${html.slice(0, 39)}…` : html;
  ctx.diagnostics.warn('raw-html', ctx.file, node.position?.start, `Raw HTML is not allowed and is left out: \`${shown.replace(/\s+/g, ' ')}\``,
    'Write it in Markdown, or use a block (`:::callout`); pages are sanitised because they run inside the LMS.');
}

/** A paragraph whose first line looks like a directive: its attributes did not parse. */
function checkParagraph(node: Paragraph, ctx: TreeContext): void {
  const offset = node.position?.start.offset;
  if (offset === undefined || ctx.source[offset] !== ':') return;
  const lineEnd = ctx.source.indexOf('\n', offset);
  const line = ctx.source.slice(offset, lineEnd < 0 ? undefined : lineEnd);
  const match = DIRECTIVE_LINE.exec(line);
  if (!match) return;
  ctx.diagnostics.error('malformed-directive', ctx.file, node.position?.start,
    `\`${match[1]}${match[2]}\` does not open a block: the rest of its line does not parse`,
    'Write it as `:::name{#id key=value}` alone on its line: a value with spaces or symbols in "quotes", a closing `}`.');
}

/** A block must end with its own fence; otherwise it silently takes in the rest of the page. */
function checkClosed(node: ContainerDirective, ctx: TreeContext): void {
  const { start, end } = node.position ?? {};
  if (start?.offset === undefined || end?.offset === undefined) return;
  const opening = /^:+/.exec(ctx.source.slice(start.offset, start.offset + 64))?.[0].length ?? 3;
  const lastLine = ctx.source.lastIndexOf('\n', end.offset - 1) + 1;
  if (lastLine > start.offset && new RegExp(`^\\s*:{${opening},}\\s*$`).test(ctx.source.slice(lastLine, end.offset))) return;
  ctx.diagnostics.error('unclosed-block', ctx.file, start, `\`${':'.repeat(opening)}${node.name}\` is never closed`,
    `End it with a line of \`${':'.repeat(opening)}\`; without it the block takes in everything up to the end of ${
      end.offset >= ctx.source.trimEnd().length ? 'the page' : 'its enclosing block'}.`);
}
