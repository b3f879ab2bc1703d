/**
 * Where themes live and what the compiler needs of one without rendering: whether it exists, its
 * UI strings and the element ids of its shell. The renderer (render/theme.ts) adds the templates.
 */
import { readFile } from 'node:fs/promises';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { realInside } from './compile/read.ts';
import { own } from './paths.ts';
import type { Strings } from './strings.ts';

export const THEMES_DIR = own('themes') + '/';

/** Element ids of the shell: fixed ones, and templates with `{{id}}` filled in per module. */
export interface ShellIds {
  fixed: string[];
  perModule: string[];
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

/** The element ids a theme's shell uses: course blocks must not take them. */
export async function loadShellIds(theme: string): Promise<ShellIds> {
  return shellIds(await readFile(`${THEMES_DIR}${theme}/shell.hbs`, 'utf8'));
}

export function shellIds(template: string): ShellIds {
  const ids = [...template.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  return {
    fixed: ids.filter((id) => !id.includes('{{')),
    perModule: ids.filter((id) => id.includes('{{id}}') && id.indexOf('{{') === id.lastIndexOf('{{')),
  };
}

/** The locale of `language` (`en-GB` falls back to `en`), over the English strings: a few small files. */
export function readStrings(theme: string, language: string): Strings {
  const dir = `${THEMES_DIR}${theme}/locales/`;
  const candidates = ['en', language.split('-')[0].toLowerCase(), language];
  const strings: Strings = {};
  for (const lang of new Set(candidates)) {
    const file = `${dir}${lang}.json`;
    if (existsSync(file)) Object.assign(strings, JSON.parse(readFileSync(file, 'utf8')));
  }
  return strings;
}
