/**
 * Takes a rendered page body (the site's sanitised tree) apart: the cartridge carries each
 * interactive block as a question, and the rest as a page.
 */
import type { Element, ElementContent, Nodes, Root, RootContent } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { SKIP, walk } from '../../walk.ts';

/** The block of each interaction (`<section data-interaction=id>`), anywhere in the page, by id. */
export function interactionBlocks(tree: Root): Map<string, Element> {
  const blocks = new Map<string, Element>();
  walk<Nodes>(tree, (node) => {
    if (node.type === 'element' && isInteractionBlock(node)) blocks.set(String(node.properties.dataInteraction), node);
  });
  return blocks;
}

export const isInteractionBlock = (node: ElementContent | Root['children'][number]): boolean =>
  node.type === 'element' && node.tagName === 'section' && node.properties.dataInteraction !== undefined;

/** The parts of a block the QTI item carries, each as HTML. */
export interface BlockParts {
  prompt: Element;
  /** The content of each choice, in order. */
  choices: Element[];
  /** The question's `:::feedback`, when it has one. */
  feedback: Element | null;
}

export function blockParts(block: Element): BlockParts {
  const prompt = firstWithClass(block, 'cp-prompt');
  if (!prompt) throw new Error(`block ${String(block.properties.id)} has no prompt`);
  return {
    prompt,
    choices: elementsWhere(block, (node, parent) => node.tagName === 'span' && !!parent && hasClass(parent, 'cp-choice')),
    feedback: firstWithClass(block, 'cp-explanation'),
  };
}

const hasClass = (node: Nodes, name: string): node is Element =>
  node.type === 'element' && Array.isArray(node.properties.className) && node.properties.className.includes(name);

/**
 * The elements of a tree (itself included) that `wanted` picks, in document order, as
 * hast-util-select would with a selector; a walk costs a fraction of matching a selector.
 */
function elementsWhere(tree: Element, wanted: (node: Element, parent: Nodes | undefined) => boolean, first = false): Element[] {
  const found: Element[] = [];
  walk<Nodes>(tree, (node, _index, parent) => {
    if (first && found.length > 0) return SKIP;
    if (node.type === 'element' && wanted(node, parent as Nodes | undefined)) found.push(node);
  });
  return found;
}

/** The first element of a tree (itself included) with a class, in document order; `.name` to hast-util-select. */
export const firstWithClass = (tree: Element, name: string): Element | null =>
  elementsWhere(tree, (node) => hasClass(node, name), true)[0] ?? null;

/**
 * A copy of a tree to change: every node and its properties are new; values such as class lists
 * and positions are shared, as nothing here changes them in place. Several times faster than
 * structuredClone, which serialises the whole tree.
 */
export function copyTree<T extends Root | RootContent>(node: T): T {
  if (node.type === 'element') {
    return { ...node, properties: { ...node.properties }, children: node.children.map(copyTree) };
  }
  if (node.type === 'root') return { ...node, children: node.children.map(copyTree) };
  return { ...node };
}

/** The HTML of an element's children. */
export const innerHtml = (element: Element | Root): string => toHtml({ type: 'root', children: element.children });

/** Whitespace-only text between blocks does not count as content. */
export const contentNodes = (nodes: Root['children']): Root['children'] =>
  nodes.filter((n) => n.type === 'element' || (n.type === 'text' && n.value.trim() !== ''));
