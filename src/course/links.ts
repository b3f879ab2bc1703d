/**
 * Links and images of a page: links to other pages become in-course links, images become packaged
 * assets. A file outside the course folder is refused: it must never end up in a zip.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, posix, resolve, relative, sep } from 'node:path';
import type { Root, Link, Image, Definition } from 'mdast';
import { visit } from 'unist-util-visit';
import type { Diagnostics } from '../diagnostics.ts';

const EXTERNAL = /^(https?:|mailto:)/i;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

export interface LinkContext {
  courseDir: string;
  /** The page's file, relative to the course folder, with `/` separators. */
  file: string;
  /** Page ids by their file, relative to the course folder. */
  pageByFile: Map<string, string>;
  diagnostics: Diagnostics;
  /** Collects the assets the page uses, relative to the course folder. */
  assets: Set<string>;
}

export function resolveLinks(tree: Root, ctx: LinkContext): void {
  visit(tree, (node) => {
    if (node.type === 'link' || node.type === 'definition') resolveLink(node, ctx);
    else if (node.type === 'image') resolveImage(node, ctx);
  });
}

/** Resolves `target` against the page's folder; null when it leaves the course folder. */
function inCourse(target: string, ctx: LinkContext): string | null {
  const rel = posix.normalize(posix.join(posix.dirname(ctx.file), safeDecode(target)));
  const absolute = resolve(ctx.courseDir, rel);
  if (!isInside(ctx.courseDir, absolute)) return null;
  // A symbolic link inside the course may still point outside it.
  if (existsSync(absolute) && !isInside(realpathSync(ctx.courseDir), realpathSync(absolute))) return null;
  return relative(ctx.courseDir, absolute).split(sep).join('/');
}

function isInside(dir: string, path: string): boolean {
  const back = relative(dir, path);
  return back !== '' && !back.startsWith('..') && !isAbsolute(back);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function resolveLink(node: Link | Definition, ctx: LinkContext): void {
  const url = node.url.trim();
  if (EXTERNAL.test(url)) return; // the renderer opens these in a new tab
  if (SCHEME.test(url)) {
    ctx.diagnostics.error('unsafe-link', ctx.file, node.position?.start, `Links with \`${url.split(':')[0]}:\` are not allowed`,
      'Link to https://, mailto: or another page of the course.');
    node.url = '#';
    return;
  }
  if (url.startsWith('#') || url === '') return;
  const [path] = url.split('#');
  const target = inCourse(path, ctx);
  const pageId = target ? ctx.pageByFile.get(target) : undefined;
  if (pageId) {
    node.url = `#${pageId}`;
    return;
  }
  const isAsset = target && existsSync(resolve(ctx.courseDir, target)) && statSync(resolve(ctx.courseDir, target)).isFile();
  if (target && isAsset && !target.endsWith('.md')) {
    ctx.assets.add(target);
    node.url = `assets/${target}`;
    return;
  }
  ctx.diagnostics.error('broken-link', ctx.file, node.position?.start,
    target ? `Broken link: \`${url}\` is not a page of the course` : `Link \`${url}\` points outside the course folder`,
    'Link to another page by its file path relative to this page, e.g. `../02-module/01-lesson.md`.');
}

function resolveImage(node: Image, ctx: LinkContext): void {
  const url = node.url.trim();
  if (!node.alt?.trim()) {
    ctx.diagnostics.warn('image-alt', ctx.file, node.position?.start, 'Image without alt text',
      'Describe the image for screen-reader users: `![A funnel from discovery to advocacy](…)`; write `![""](…)` only for decoration.');
  }
  if (SCHEME.test(url) || url.startsWith('//')) {
    ctx.diagnostics.error('remote-image', ctx.file, node.position?.start, `Remote image \`${url}\` would not be packaged`,
      'Save the image inside the course folder and link it by a relative path: packages must work offline and inside the LMS.');
    return;
  }
  const target = inCourse(url, ctx);
  if (!target) {
    ctx.diagnostics.error('asset-outside-course', ctx.file, node.position?.start,
      `Image \`${url}\` is outside the course folder and is refused`,
      'Only files inside the course folder are packaged; copy the image into it.');
    node.url = '';
    return;
  }
  const absolute = resolve(ctx.courseDir, target);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) {
    ctx.diagnostics.error('missing-asset', ctx.file, node.position?.start, `Image not found: \`${url}\``,
      `Expected a file at ${target} in the course folder; check the path and its case.`);
    return;
  }
  ctx.assets.add(target);
  node.url = `assets/${target}`;
}
