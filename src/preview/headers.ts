/**
 * Headers on every answer of the preview: no other site may frame it (clickjacking its buttons),
 * and no URL — launch URLs carry credentials — leaks to another site in a Referer.
 */
export const PREVIEW_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'self'",
  'Referrer-Policy': 'no-referrer',
};
