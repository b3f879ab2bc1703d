/**
 * Reads a rendered page body (the site's sanitised HTML) back into a tree, to take its interactive
 * blocks apart: the cartridge carries each block as a question, and the rest as a page.
 */
import type { Element, ElementContent, Root } from 'hast';
import { fromParse5 } from 'hast-util-from-parse5';
import { parseFragment } from 'parse5';
import { select, selectAll } from 'hast-util-select';
import { toHtml } from 'hast-util-to-html';

/** Without source positions (nothing here reports them), parsing and copying take half the time. */
export function parseBody(html: string): Root {
  return fromParse5(parseFragment(html)) as Root;
}

/** The block of one interaction (`<section data-interaction=id>`), anywhere in the page. */
export function interactionBlock(tree: Root, id: string): Element {
  const block = selectAll('section[data-interaction]', tree).find((s) => s.properties.dataInteraction === id);
  if (!block) throw new Error(`interaction ${id} has no block in its page`);
  return block;
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
  const prompt = select('.cp-prompt', block);
  if (!prompt) throw new Error(`block ${String(block.properties.id)} has no prompt`);
  return {
    prompt,
    choices: selectAll('.cp-choice > span', block),
    feedback: select('.cp-explanation', block) ?? null,
  };
}

/** The HTML of an element's children. */
export const innerHtml = (element: Element | Root): string => toHtml({ type: 'root', children: element.children });

/** Whitespace-only text between blocks does not count as content. */
export const contentNodes = (nodes: Root['children']): Root['children'] =>
  nodes.filter((n) => n.type === 'element' || (n.type === 'text' && n.value.trim() !== ''));
