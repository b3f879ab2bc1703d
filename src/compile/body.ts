/**
 * Builds the page body of the model: a copy of the page's mdast in which every lowered directive
 * is replaced by its block node, nested blocks included. The page's own tree is left as it is.
 * The copy has no source positions: they served the compiler's diagnostics, the renderers report
 * nothing, and without them the page cache and the rendered trees are about half the size.
 */
import type { Definition, FootnoteDefinition, Node, Nodes, Root, RootContent } from 'mdast';
import { SKIP, walk } from '../walk.ts';
import { holdsInlineOnly } from './tree.ts';
import type { Block, BlockNode, PageBody } from '../blocks.ts';
import type { BlockMap } from './blocks.ts';

/** The parts of a block that hold Markdown content. */
const CONTENT_KEYS = ['prompt', 'choices', 'feedback', 'label', 'body'] as const;

export function pageBody(tree: Root, blocks: BlockMap): PageBody {
  const copy = (node: Node): Node => {
    const block = blocks.get(node);
    if (block) return blockNode(block, copy);
    const { position: _position, ...rest } = node;
    if (!('children' in node)) return rest;
    return { ...rest, children: (node.children as Node[]).map(copy) } as Node;
  };
  return copy(tree) as PageBody;
}

function blockNode(block: Block, copy: (node: Node) => Node): BlockNode {
  const lowered = { ...block } as Record<string, unknown>;
  for (const key of CONTENT_KEYS) {
    const content = lowered[key];
    if (Array.isArray(content)) lowered[key] = content.map(copy);
  }
  const content = CONTENT_KEYS.flatMap((key) => (lowered[key] as RootContent[] | null | undefined) ?? []);
  return { type: 'block', block: lowered as Block, children: definitionsIn(content) };
}

/**
 * Link and footnote definitions hold for the whole page, wherever they are written: the block
 * keeps those of its content as children, so the renderer finds them where the Markdown had them.
 */
function definitionsIn(content: RootContent[]): (Definition | FootnoteDefinition)[] {
  const found: (Definition | FootnoteDefinition)[] = [];
  walk<Nodes>({ type: 'root', children: content } as Root, (node) => {
    if (node.type === 'definition' || node.type === 'footnoteDefinition') found.push(node);
    return holdsInlineOnly(node) ? SKIP : undefined;
  });
  return found;
}
