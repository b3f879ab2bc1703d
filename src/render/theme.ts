/** A theme: handlebars layouts, a stylesheet and UI strings per language, under themes/<name>/. */
import { readFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { realInside } from '../course/read.ts';
import { own } from '../paths.ts';
import Handlebars from 'handlebars';
import type { Strings } from './strings.ts';

export const THEMES_DIR = own('themes') + '/';

/** Element ids of the shell: fixed ones, and templates with `{{id}}` filled in per module. */
export interface ShellIds {
  fixed: string[];
  perModule: string[];
}

export interface Theme {
  ids: ShellIds;
  shell: Handlebars.TemplateDelegate;
  page: Handlebars.TemplateDelegate;
  css: string;
  strings: Strings;
}

export function themeExists(name: string): boolean {
  return existsSync(`${THEMES_DIR}${name}/shell.hbs`);
}

/** A theme file that resolves outside its theme folder (a symbolic link out), or null. */
export function themeFileOutside(name: string): string | null {
  const dir = `${THEMES_DIR}${name}`;
  const locales = existsSync(`${dir}/locales`) ? readdirSync(`${dir}/locales`).map((f) => `locales/${f}`) : [];
  return ['shell.hbs', 'page.hbs', 'theme.css', ...locales].find((file) => existsSync(`${dir}/${file}`) && !realInside(dir, file)) ?? null;
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
  const [shell, page, css, strings] = await Promise.all([
    readFile(`${dir}shell.hbs`, 'utf8'),
    readFile(`${dir}page.hbs`, 'utf8'),
    readFile(`${dir}theme.css`, 'utf8'),
    loadStrings(name, language),
  ]);
  const hbs = Handlebars.create();
  // `{{t "key" name=value}}`: a UI string of the course language with its placeholders filled.
  hbs.registerHelper('t', (key: string, options: Handlebars.HelperOptions) =>
    (strings[key] ?? key).replace(/\{(\w+)\}/g, (whole, k: string) => (k in options.hash ? String(options.hash[k]) : whole)));
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  return { ids: shellIds(shell), shell: hbs.compile(shell, { strict: false }), page: hbs.compile(page), css, strings };
}

function shellIds(template: string): ShellIds {
  const ids = [...template.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  return {
    fixed: ids.filter((id) => !id.includes('{{')),
    perModule: ids.filter((id) => id.includes('{{id}}') && id.indexOf('{{') === id.lastIndexOf('{{')),
  };
}

/** The locale of `language` (`en-GB` falls back to `en`), over the English strings. */
export async function loadStrings(theme: string, language: string): Promise<Strings> {
  const dir = `${THEMES_DIR}${theme}/locales/`;
  const candidates = ['en', language.split('-')[0].toLowerCase(), language];
  const strings: Strings = {};
  for (const lang of new Set(candidates)) {
    const file = `${dir}${lang}.json`;
    if (existsSync(file)) Object.assign(strings, JSON.parse(await readFile(file, 'utf8')));
  }
  return strings;
}
