/** One Markdown file of the course: its front matter (checked) and its Markdown tree. */
import type { Root, Heading } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { Diagnostics } from '../diagnostics.ts';
import { parseMarkdown } from './markdown.ts';
import { parsePlacedYaml, type PlacedYaml, type YamlCache } from './yaml.ts';
import { checkSchema } from './schema.ts';
import type { SchemaName } from './schemas.ts';
import { checkPageText } from './limits.ts';
import { normaliseTree } from './tree.ts';

export interface SourceFile {
  /** Relative to the course folder, with `/` separators. */
  file: string;
  text: string;
  tree: Root;
  meta: Record<string, unknown>;
  yaml: PlacedYaml | null;
  /** The first `#` heading, taken out of the tree: the page header shows it. */
  heading: string | null;
  /** Where the title heading was written. */
  headingPlace: { line: number; column: number } | null;
  /** Whether anything but the title heading is left in the body. */
  hasBody: boolean;
  /** The page could not be parsed (reported): it is left out. */
  refused: boolean;
}

/** The page's tree; null when the page is refused (too large, too deep: reported). */
function parsePage(file: string, text: string, diagnostics: Diagnostics): Root | null {
  if (!checkPageText(file, text, diagnostics)) return null;
  let tree: Root;
  try {
    tree = parseMarkdown(text);
  } catch (error) {
    // The limits keep the parser's recursion shallow; this is the last line of defence.
    if (!(error instanceof RangeError)) throw error;
    diagnostics.error('nesting-too-deep', file, undefined, 'The page is nested too deeply to be read',
      'Flatten deeply nested quotes, lists or emphasis.');
    return null;
  }
  return normaliseTree(tree, { file, source: text, diagnostics }) ? tree : null;
}

export function parseSource(
  file: string, text: string, schema: SchemaName, diagnostics: Diagnostics, yamlCache?: YamlCache,
): SourceFile {
  const parsed = parsePage(file, text, diagnostics);
  const tree: Root = parsed ?? { type: 'root', children: [] };
  let meta: Record<string, unknown> = {};
  let yaml: PlacedYaml | null = null;
  const first = tree.children[0];
  if (first?.type === 'yaml') {
    tree.children.shift();
    // The YAML text starts on the line after the opening `---`.
    yaml = parsePlacedYaml(first.value, file, first.position?.start.line ?? 1, diagnostics, yamlCache);
    // Keep even an invalid front matter: its valid keys still spare the author follow-on errors.
    if (yaml) {
      checkSchema(schema, yaml, file, diagnostics);
      meta = yaml.data;
    }
  }
  let heading: string | null = null;
  let headingPlace: SourceFile['headingPlace'] = null;
  const top = tree.children[0];
  if (top?.type === 'heading' && (top as Heading).depth === 1) {
    heading = toString(top).trim() || null;
    headingPlace = top.position?.start ?? null;
    if (!heading) {
      diagnostics.warn('empty-heading', file, top.position?.start, 'Empty `#` heading', 'Write the page title after `# `, or remove the line.');
    }
    tree.children.shift();
  }
  return { file, text, tree, meta, yaml, heading, headingPlace, hasBody: tree.children.length > 0, refused: parsed === null };
}
