/**
 * Writes an XML file of a package from a tree built with xastscript's `x`: the XML declaration,
 * then the root element, indented by two spaces per level. Indentation goes only between the
 * children of an element that holds elements alone, so text (HTML in QTI `mattext`) stays exact.
 * Note: `x(name, node)` reads the node as attributes; pass children in an array or after `{}`.
 */
import type { Element, ElementContent, Text } from 'xast';
import { toXml } from 'xast-util-to-xml';

const DECLARATION = 'version="1.0" encoding="UTF-8"';

export function xmlDocument(root: Element): string {
  return toXml(
    [{ type: 'instruction', name: 'xml', value: DECLARATION }, newline(0), indented(root, 0)],
    { closeEmptyElements: true, tightClose: true },
  );
}

function indented(element: Element, depth: number): Element {
  const { children } = element;
  if (children.length === 0 || !children.every((child) => child.type === 'element')) return element;
  const inner: ElementContent[] = children.flatMap((child) => [newline(depth + 1), indented(child, depth + 1)]);
  return { ...element, children: [...inner, newline(depth)] };
}

function newline(depth: number): Text {
  return { type: 'text', value: `\n${'  '.repeat(depth)}` };
}
