/** UI strings of a theme's locale, with `{name}` placeholders. */
export type Strings = Record<string, string>;

export function format(template: string | undefined, values: Record<string, string | number>): string {
  return (template ?? '').replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
