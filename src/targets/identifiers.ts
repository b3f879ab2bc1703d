/** XML ID values for manifests: no spaces, never starting with a digit. */
export function xmlId(prefix: string, value: string): string {
  return `${prefix}-${value.replace(/[^A-Za-z0-9_.-]+/g, '-')}`;
}
