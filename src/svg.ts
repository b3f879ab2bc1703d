/**
 * SVG images are rebuilt, not filtered: the packaged file holds only the drawing elements and
 * presentation attributes listed here, so nothing that can run script (`<script>`, `on…`
 * handlers, `<foreignObject>`, `javascript:` links) or fetch from elsewhere (external `href`,
 * `url(http…)`, `<style>` with `@import`, `<image>`) survives, even when the file is opened on its
 * own in the LMS's origin.
 */
import sax from 'sax';

const ELEMENTS = new Set([
  'svg', 'g', 'defs', 'symbol', 'use', 'title', 'desc', 'path', 'rect', 'circle', 'ellipse', 'line', 'polyline',
  'polygon', 'text', 'tspan', 'linearGradient', 'radialGradient', 'stop', 'clipPath', 'mask', 'pattern', 'marker',
  'filter', 'feGaussianBlur', 'feOffset', 'feBlend', 'feColorMatrix', 'feFlood', 'feComposite', 'feMerge',
  'feMergeNode', 'feDropShadow',
]);

const ATTRIBUTES = new Set([
  'xmlns', 'xmlns:xlink', 'version', 'id', 'class', 'style', 'transform', 'x', 'y', 'x1', 'y1', 'x2', 'y2', 'cx', 'cy',
  'r', 'rx', 'ry', 'fx', 'fy', 'fr', 'width', 'height', 'd', 'points', 'pathLength', 'viewBox', 'preserveAspectRatio',
  'fill', 'fill-opacity', 'fill-rule', 'stroke', 'stroke-width', 'stroke-linecap', 'stroke-linejoin',
  'stroke-dasharray', 'stroke-dashoffset', 'stroke-opacity', 'stroke-miterlimit', 'opacity', 'color', 'visibility',
  'display', 'font-family', 'font-size', 'font-weight', 'font-style', 'text-anchor', 'dominant-baseline',
  'alignment-baseline', 'letter-spacing', 'word-spacing', 'dx', 'dy', 'rotate', 'textLength', 'lengthAdjust',
  'offset', 'stop-color', 'stop-opacity', 'gradientUnits', 'gradientTransform', 'spreadMethod', 'patternUnits',
  'patternContentUnits', 'patternTransform', 'clipPathUnits', 'maskUnits', 'maskContentUnits', 'clip-path',
  'clip-rule', 'mask', 'marker-start', 'marker-mid', 'marker-end', 'markerWidth', 'markerHeight', 'markerUnits',
  'refX', 'refY', 'orient', 'filter', 'filterUnits', 'primitiveUnits', 'stdDeviation', 'in', 'in2', 'result', 'mode',
  'type', 'values', 'operator', 'k1', 'k2', 'k3', 'k4', 'flood-color', 'flood-opacity', 'vector-effect',
  'paint-order', 'shape-rendering', 'text-rendering', 'xml:space', 'xml:lang', 'lang', 'role', 'aria-label',
  'aria-hidden', 'focusable', 'href', 'xlink:href',
]);

const LINKS = new Set(['href', 'xlink:href']);

/** A value may point only into the same file: `#id`, `url(#id)`. Nothing may escape CSS or markup. */
function safeValue(name: string, value: string): boolean {
  if (LINKS.has(name)) return /^#[\w.-]+$/.test(value.trim());
  if (/[\\<>]|@import|expression\s*\(|javascript:/i.test(value)) return false;
  return [...value.matchAll(/url\s*\(\s*(['"]?)([^)]*)\)/gi)].every((m) => m[2].trim().startsWith('#'));
}

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export type SvgResult = { svg: string } | { error: string; line: number; column: number };

/** Rebuilds an SVG document from its safe parts; an error for text that is not an SVG document. */
export function sanitiseSvg(text: string): SvgResult {
  const parser = sax.parser(true, { trim: false, normalize: false, position: true });
  const out: string[] = [];
  const kept: boolean[] = [];
  let dropped = 0; // open elements being left out, with everything inside them
  let error: SvgResult | null = null;
  let root = true;
  parser.onerror = (e) => {
    error ??= { error: e.message.split('\n')[0], line: parser.line + 1, column: parser.column + 1 };
    throw e;
  };
  parser.onopentag = (node) => {
    const name = node.name;
    if (root && name !== 'svg') error ??= { error: `the root element is <${name}>, not <svg>`, line: parser.line + 1, column: 1 };
    root = false;
    const keep = dropped === 0 && ELEMENTS.has(name);
    kept.push(keep);
    if (!keep) {
      dropped += 1;
      return;
    }
    const attributes = Object.entries(node.attributes as Record<string, string>)
      .filter(([attr, value]) => ATTRIBUTES.has(attr) && safeValue(attr, value))
      .map(([attr, value]) => ` ${attr}="${escape(value)}"`);
    out.push(`<${name}${attributes.join('')}>`);
  };
  parser.onclosetag = (name) => {
    if (kept.pop()) out.push(`</${name}>`);
    else dropped -= 1;
  };
  parser.ontext = (value) => {
    if (kept.length > 0 && dropped === 0) out.push(escape(value));
  };
  try {
    parser.write(text).close();
  } catch {
    // reported through onerror
  }
  if (!error && root) error = { error: 'the file holds no <svg> element', line: 1, column: 1 };
  return error ?? { svg: `${out.join('')}\n` };
}
