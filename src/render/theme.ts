/**
 * A theme: handlebars layouts, a stylesheet and UI strings per language, under themes/<name>/.
 * Compiling a layout takes handlebars about 20 ms at start-up: the packed command line carries
 * every theme's layouts precompiled (precompiled-layouts.ts, filled in by pack.ts), found by a hash
 * of the layout, its options and the handlebars version, and compiles only what it lacks.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import Handlebars from 'handlebars';
import { PRECOMPILED } from './precompiled-layouts.ts';
import { fill, type Strings } from '../strings.ts';
import { readStrings, shellIds, THEMES_DIR, type ShellIds } from '../themes.ts';

/** The options each layout is compiled with. */
export const LAYOUTS = { shell: { strict: false }, page: {} } as const satisfies Record<string, CompileOptions>;
type CompileOptions = Parameters<typeof Handlebars.compile>[1];

/** The key of a precompiled layout. */
export function layoutKey(source: string, options: CompileOptions): string {
  return createHash('sha256').update(`${Handlebars.VERSION}\0${JSON.stringify(options)}\0${source}`).digest('hex');
}

export interface Theme {
  ids: ShellIds;
  shell: Handlebars.TemplateDelegate;
  page: Handlebars.TemplateDelegate;
  css: string;
  strings: Strings;
}

const cache = new Map<string, Promise<Theme>>();

export function loadTheme(name: string, language: string): Promise<Theme> {
  const key = `${name}/${language}`;
  let theme = cache.get(key);
  if (!theme) {
    theme = readTheme(name, language);
    cache.set(key, theme);
  }
  return theme;
}

async function readTheme(name: string, language: string): Promise<Theme> {
  const dir = `${THEMES_DIR}${name}/`;
  const strings = readStrings(name, language);
  const [shell, page, css] = await Promise.all([
    readFile(`${dir}shell.hbs`, 'utf8'),
    readFile(`${dir}page.hbs`, 'utf8'),
    readFile(`${dir}theme.css`, 'utf8'),
  ]);
  const hbs = Handlebars.create();
  // `{{t "key" name=value}}`: a UI string of the course language with its placeholders filled.
  hbs.registerHelper('t', (key: string, options: Handlebars.HelperOptions) =>
    fill(strings[key] ?? key, options.hash as Record<string, string | number>));
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  const layout = (source: string, options: CompileOptions): Handlebars.TemplateDelegate => {
    const spec = PRECOMPILED[layoutKey(source, options)];
    return spec ? hbs.template(spec) : hbs.compile(source, options);
  };
  return { ids: shellIds(shell), shell: layout(shell, LAYOUTS.shell), page: layout(page, LAYOUTS.page), css, strings };
}
