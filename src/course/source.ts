/** One Markdown file of the course: its front matter (checked) and its Markdown tree. */
import type { Root, Heading } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { Diagnostics } from '../diagnostics.ts';
import { parseMarkdown } from './markdown.ts';
import { parsePlacedYaml, type PlacedYaml } from './yaml.ts';
import { checkSchema } from './schema.ts';

export interface SourceFile {
  /** Relative to the course folder, with `/` separators. */
  file: string;
  text: string;
  tree: Root;
  meta: Record<string, unknown>;
  yaml: PlacedYaml | null;
  /** The first `#` heading, taken out of the tree: the page header shows it. */
  heading: string | null;
  /** Whether anything but the title heading is left in the body. */
  hasBody: boolean;
}

export function parseSource(file: string, text: string, schema: object, diagnostics: Diagnostics): SourceFile {
  const tree = parseMarkdown(text);
  let meta: Record<string, unknown> = {};
  let yaml: PlacedYaml | null = null;
  const first = tree.children[0];
  if (first?.type === 'yaml') {
    tree.children.shift();
    // The YAML text starts on the line after the opening `---`.
    yaml = parsePlacedYaml(first.value, file, first.position?.start.line ?? 1, diagnostics);
    // Keep even an invalid front matter: its valid keys still spare the author follow-on errors.
    if (yaml) {
      checkSchema(schema, yaml, file, diagnostics);
      meta = yaml.data;
    }
  }
  let heading: string | null = null;
  const top = tree.children[0];
  if (top?.type === 'heading' && (top as Heading).depth === 1) {
    heading = toString(top).trim() || null;
    if (!heading) {
      diagnostics.warn('empty-heading', file, top.position?.start, 'Empty `#` heading', 'Write the page title after `# `, or remove the line.');
    }
    tree.children.shift();
  }
  return { file, text, tree, meta, yaml, heading, hasBody: tree.children.length > 0 };
}
