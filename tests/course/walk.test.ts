/**
 * src/walk.ts walks trees as unist-util-visit does: the same nodes in the same order, the same
 * skipped children, the same resumption after a node is replaced in its parent. Held on every page
 * of the course.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Nodes, Root } from 'mdast';
import { SKIP as VISIT_SKIP, visit } from 'unist-util-visit';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../src/compile/markdown.ts';
import { holdsInlineOnly } from '../../src/compile/tree.ts';
import { SKIP, walk } from '../../src/walk.ts';

const COURSE = join(import.meta.dirname, '../../course');
const pages = readdirSync(COURSE, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.md'))
  .map((e) => join(e.parentPath, e.name));
const treeOf = (file: string): Root => parseMarkdown(readFileSync(file, 'utf8'));

/** Each node's type and index, and its parent's type: enough to tell two walks apart. */
const seen = (node: Nodes, index: number | undefined, parent: { type: string } | undefined) =>
  `${parent?.type ?? '-'}/${index ?? '-'}/${node.type}`;

describe('walk', () => {
  it('finds the pages', () => {
    expect(pages.length).toBeGreaterThan(40);
  });

  it.each(pages)('%s: every node in the order unist-util-visit gives', (file) => {
    const tree = treeOf(file);
    const ours: string[] = [];
    const theirs: string[] = [];
    walk<Nodes>(tree, (node, index, parent) => void ours.push(seen(node, index, parent as Nodes | undefined)));
    visit(tree, (node, index, parent) => void theirs.push(seen(node, index, parent)));
    expect(ours.length).toBeGreaterThan(5);
    expect(ours).toEqual(theirs);
  });

  it.each(pages)('%s: skips the children of inline content as unist-util-visit does', (file) => {
    const tree = treeOf(file);
    const ours: string[] = [];
    const theirs: string[] = [];
    walk<Nodes>(tree, (node) => (ours.push(node.type), holdsInlineOnly(node) ? SKIP : undefined));
    visit(tree, (node) => (theirs.push(node.type), holdsInlineOnly(node) ? VISIT_SKIP : undefined));
    expect(ours).not.toContain('text');
    expect(ours).toEqual(theirs);
  });

  it.each(pages)('%s: goes on from the index a visitor returns after replacing a node', (file) => {
    // Unwraps every strong and emphasis into its parent, as the cartridge unwraps dead links.
    const unwrap = (node: Nodes, index: number | undefined, parent: { children: Nodes[] } | undefined) => {
      if ((node.type !== 'strong' && node.type !== 'emphasis') || !parent || index === undefined) return undefined;
      parent.children.splice(index, 1, ...node.children);
      return index;
    };
    const ours = treeOf(file);
    const theirs = treeOf(file);
    const oursSeen: string[] = [];
    const theirsSeen: string[] = [];
    walk<Nodes>(ours, (node, index, parent) => {
      oursSeen.push(seen(node, index, parent as Nodes | undefined));
      return unwrap(node, index, parent as { children: Nodes[] } | undefined);
    });
    visit(theirs, (node, index, parent) => {
      theirsSeen.push(seen(node, index, parent));
      const next = unwrap(node, index, parent as { children: Nodes[] } | undefined);
      return next === undefined ? undefined : [VISIT_SKIP, next];
    });
    expect(oursSeen).toEqual(theirsSeen);
    expect(ours).toEqual(theirs);
    expect(JSON.stringify(ours)).not.toMatch(/"type":"(strong|emphasis)"/);
  });
});
