/** A theme: handlebars layouts, a stylesheet and UI strings per language, under themes/<name>/. */
import { readFile } from 'node:fs/promises';
import Handlebars from 'handlebars';
import { fill, type Strings } from '../strings.ts';
import { readStrings, shellIds, THEMES_DIR, type ShellIds } from '../themes.ts';

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
  return { ids: shellIds(shell), shell: hbs.compile(shell, { strict: false }), page: hbs.compile(page), css, strings };
}
