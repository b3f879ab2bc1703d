/** UI strings of a theme's locale, with `{name}` placeholders. */
export type Strings = Record<string, string>;

/** Fills `{name}` placeholders from `values`; an unknown name stays as written. */
export const fill = (template: string, values: Record<string, string | number> = {}): string =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));

export function format(template: string | undefined, values: Record<string, string | number>): string {
  return fill(template ?? '', values);
}
