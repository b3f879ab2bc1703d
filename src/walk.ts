/**
 * Walks a unist tree (mdast or hast) as unist-util-visit does: every node, parents before their
 * children, in document order. unist-util-visit makes and names a function for every node it
 * passes, which made its walks about a twentieth of a cold build; this loop allocates nothing per
 * node. Iterative, so a deep tree cannot overflow the stack.
 */

interface Node {
  type: string;
}
/** The parent a visitor is given: the node whose `children` hold the visited node. */
export interface Parent<N extends Node = Node> {
  children: N[];
}

/** Returned by a visitor: leave this node's children out. */
export const SKIP = Symbol('skip');

/**
 * What a visitor returns: nothing to go on into the node's children; SKIP to leave them out; or,
 * when it replaced the node in `parent.children`, the index to go on from (its children left out).
 */
export type VisitResult = void | typeof SKIP | number;

/** `N`: any node of the tree, e.g. mdast's or hast's `Nodes`. */
export type Visitor<N extends Node> = (node: N, index: number | undefined, parent: Parent<N> | undefined) => VisitResult;

const hasChildren = <N extends Node>(node: N): node is N & Parent<N> =>
  Array.isArray((node as Partial<Parent<N>>).children);

export function walk<N extends Node>(tree: N, visitor: Visitor<N>): void {
  if (visitor(tree, undefined, undefined) !== undefined || !hasChildren(tree)) return;
  const parents: Parent<N>[] = [tree];
  const next: number[] = [0];
  while (parents.length > 0) {
    const depth = parents.length - 1;
    const parent = parents[depth];
    const index = next[depth];
    if (index >= parent.children.length) {
      parents.pop();
      next.pop();
      continue;
    }
    const node = parent.children[index];
    const result = visitor(node, index, parent);
    next[depth] = typeof result === 'number' ? result : index + 1;
    if (result === undefined && hasChildren(node)) {
      parents.push(node);
      next.push(0);
    }
  }
}
