/**
 * Links and images inside the cartridge. The site links a page as `#<page-id>` (the course shell
 * loads it) and an asset as `assets/<path>`; imported into an LMS, each page is a page of its own,
 * so both become relative paths to the files. A link to a page that became an assessment cannot be
 * written in a way both LMSs resolve: it keeps its text and loses the link.
 */
import type { Element, Nodes, Root } from 'hast';
import { walk } from '../../walk.ts';

export interface LinkTargets {
  /** Whether `#id` names a page of the course (otherwise it is an anchor in the same page). */
  isPage(id: string): boolean;
  /** The URL of a page's file, or null when the page has no file. */
  page(id: string): string | null;
  /** The URL of an asset, given its site path `assets/…`. */
  asset(sitePath: string): string;
}

/** Rewrites the tree in place; returns the site paths of the assets it refers to. */
export function rewriteLinks(tree: Root | Element, targets: LinkTargets): Set<string> {
  const assets = new Set<string>();
  const asset = (url: string) => {
    assets.add(url);
    return targets.asset(url);
  };
  walk<Nodes>(tree, (node, index, parent) => {
    if (node.type !== 'element') return;
    const { href, src } = node.properties;
    if (typeof src === 'string' && src.startsWith('assets/')) node.properties.src = asset(src);
    if (typeof href !== 'string') return;
    if (href.startsWith('assets/')) node.properties.href = asset(href);
    else if (href.startsWith('#') && targets.isPage(href.slice(1))) {
      const url = targets.page(href.slice(1));
      if (url !== null) node.properties.href = url;
      else if (parent && index !== undefined) {
        parent.children.splice(index, 1, ...node.children);
        return index;
      }
    }
  });
  return assets;
}
