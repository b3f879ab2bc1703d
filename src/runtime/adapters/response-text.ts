/**
 * Free text as a SCORM 2004 `learner_response` that decodes back exactly: LMSs refuse line breaks
 * there (Moodle: error 406), so a line break is written `¶` and `\` escapes the characters that
 * would otherwise be lost or misread (`\`, `¶`, `{` which opens a `{lang=…}` delimiter, `\r` and
 * the Unicode line separators). A text longer than one record holds goes in order-numbered parts.
 */
// `\r`, U+2028, U+2029 are written `\r`, `\L`, `\P`; other escaped characters as themselves.
const BREAKS = '\r\u2028\u2029';
const CODES = 'rLP';

export const encodeText = (text: string): string =>
  text.replace(/[\\¶{\r\n\u2028\u2029]/g, (c) => (c === '\n' ? '¶' : '\\' + (CODES[BREAKS.indexOf(c)] || c)));

export const decodeText = (raw: string): string =>
  raw.replace(/\\([^])|¶/g, (_, c?: string) => (c === undefined ? '\n' : BREAKS[CODES.indexOf(c)] || c));

/** Cuts an encoded text into parts of at most `max`, never inside an escape or a surrogate pair. */
export function textParts(encoded: string, max: number): string[] {
  const parts: string[] = [];
  while (encoded.length > max) {
    const cut = /(^|[^\\])(\\\\)*\\$|[\uD800-\uDBFF]$/.test(encoded.slice(0, max)) ? max - 1 : max;
    parts.push(encoded.slice(0, cut));
    encoded = encoded.slice(cut);
  }
  return [...parts, encoded];
}
