/**
 * The few words the cartridge adds to the course, in English unless the theme's locale has a
 * `cc.*` string of the same name.
 */
import type { Strings } from '../../strings.ts';
import { format } from '../../strings.ts';

const DEFAULTS = {
  /** Title of an assessment that sits beside its page: "<page>: <kind>". */
  'cc.title': '{page}: {kind}',
  'cc.questions': 'Questions',
  'cc.survey': 'Survey',
  'cc.answers': 'Your answers',
  /** Where the questions or polls taken out of a page went. */
  'cc.movedTo': 'You answer these in “{title}”, which follows this page in the module.',
  /** Under each workbook task on its page. */
  'cc.writeIn': 'Write your answer in “{title}”.',
} as const;

export type CartridgeString = keyof typeof DEFAULTS;

export function cartridgeStrings(theme: Strings) {
  return (key: CartridgeString | string, values: Record<string, string | number> = {}): string =>
    format(theme[key] ?? (DEFAULTS as Record<string, string>)[key] ?? key, values);
}

export type Say = ReturnType<typeof cartridgeStrings>;
