/**
 * Links and images of a page: links to other pages become in-course links, images become packaged
 * assets. A file outside the course folder is refused: it must never end up in a zip.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, posix, resolve, relative, sep } from 'node:path';
import type { Nodes, Root, Link, Image, Definition } from 'mdast';
import { walk } from '../walk.ts';
import type { Diagnostics } from '../diagnostics.ts';
import { sanitiseSvg } from '../svg.ts';

const EXTERNAL = /^(https?:|mailto:)/i;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * Only files that cannot run script when opened are packaged: an LMS serves a package from its own
 * web origin, where an HTML, SVG or XML file would run with the learner's session. A list of what
 * is allowed (not of what is not) also refuses files an LMS would serve with no type at all.
 * SVG files are packaged rebuilt from their safe parts only (src/svg.ts).
 */
const IMAGE_TYPES = ['png', 'jpg', 'jpeg', 'gif', 'webp', 'avif', 'svg'];
const FILE_TYPES = [
  ...IMAGE_TYPES, 'pdf', 'txt', 'csv', 'json', 'mp3', 'm4a', 'wav', 'ogg', 'oga', 'mp4', 'm4v', 'webm', 'vtt',
  'zip', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'odt', 'ods', 'odp',
];
/** Types that run script when opened in a browser, named so the author learns why. */
const ACTIVE_TYPES: Record<string, string> = {
  html: 'an HTML file', htm: 'an HTML file', xhtml: 'an XHTML file', xht: 'an XHTML file', shtml: 'an HTML file',
  mht: 'a web archive', mhtml: 'a web archive', svgz: 'a compressed SVG file', xml: 'an XML file',
  xsl: 'an XSL file', xslt: 'an XSL file', js: 'a script', mjs: 'a script', cjs: 'a script', wasm: 'a WebAssembly module',
  swf: 'a Flash file',
};

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
  walk<Nodes>(tree, (node) => {
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
  if (url === '' || url === '#') return;
  if (url.startsWith('#')) {
    checkPageAnchor(node, url.slice(1), ctx);
    return;
  }
  const hash = url.indexOf('#');
  const [path, fragment] = hash < 0 ? [url, ''] : [url.slice(0, hash), url.slice(hash)];
  const target = inCourse(path, ctx);
  const pageId = target ? ctx.pageByFile.get(target) : undefined;
  if (pageId) {
    if (fragment.length > 1) {
      ctx.diagnostics.warn('missing-anchor', ctx.file, node.position?.start,
        `\`${fragment}\` is left out: pages have no anchors, so the link opens \`${path}\` at its top`,
        `Link to the page alone: \`${path}\`.`);
    }
    node.url = `#${pageId}`;
    return;
  }
  const isAsset = target && existsSync(resolve(ctx.courseDir, target)) && statSync(resolve(ctx.courseDir, target)).isFile();
  if (target && isAsset && !target.endsWith('.md')) {
    if (!packageable(target, url, FILE_TYPES, node, ctx)) return;
    ctx.assets.add(target);
    node.url = `assets/${target}${fragment}`;
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
  if (!packageable(target, url, IMAGE_TYPES, node, ctx)) return;
  ctx.assets.add(target);
  node.url = `assets/${target}`;
}

function validSvg(target: string, url: string, node: Link | Definition | Image, ctx: LinkContext): boolean {
  const result = sanitiseSvg(readFileSync(resolve(ctx.courseDir, target), 'utf8'));
  if ('svg' in result) return true;
  ctx.diagnostics.error('invalid-svg', ctx.file, node.position?.start,
    `\`${url}\` is not a valid SVG file: ${result.error} (its line ${result.line})`,
    'Export it again from the drawing program as plain SVG, or convert it to PNG.');
  return false;
}

/** A link to `#id` works when a page has that id (the player shows it); there are no other anchors. */
function checkPageAnchor(node: Link | Definition, anchor: string, ctx: LinkContext): void {
  const id = safeDecode(anchor);
  if ([...ctx.pageByFile.values()].includes(id)) return;
  ctx.diagnostics.error('missing-anchor', ctx.file, node.position?.start, `Link to \`#${anchor}\`: no page has this id`,
    'Headings have no anchors; link to a page by its file, e.g. `02-workbook.md`.');
}

/** Reports a file of a type that is not packaged; returns whether it may be. */
function packageable(target: string, url: string, allowed: string[], node: Link | Definition | Image, ctx: LinkContext): boolean {
  const type = posix.extname(target).slice(1).toLowerCase();
  if (type === 'svg') return validSvg(target, url, node, ctx);
  if (allowed.includes(type)) return true;
  const active = ACTIVE_TYPES[type];
  const image = node.type === 'image';
  if (active) {
    ctx.diagnostics.error('active-file', ctx.file, node.position?.start,
      `\`${url}\` is refused: ${active} can run script in the LMS when it is opened`,
      image ? 'Convert the image to PNG or WebP.' : 'Convert it to PDF, or publish it on its own web site and link there with https://.');
  } else {
    ctx.diagnostics.error('file-type', ctx.file, node.position?.start,
      image ? `\`${url}\` is not an image type that is packaged` : `\`${url}\` is not a type of file that is packaged`,
      `Packaged ${image ? 'images' : 'files'}: ${allowed.map((t) => `.${t}`).join(', ')}.${image ? '' : ' Put other files in a .zip.'}`);
  }
  node.url = image ? '' : '#';
  return false;
}
