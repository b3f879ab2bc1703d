/**
 * Reads an author's file safely: it must resolve (symbolic links followed) inside the course
 * folder, be UTF-8 text without NUL bytes, and a leading byte-order mark is dropped. A file that
 * fails is reported at the first offending byte and never reaches a package.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import type { Diagnostics } from '../diagnostics.ts';

const BOM = '\uFEFF';
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Whether `path` is `dir` itself or lies below it. */
export function isWithin(dir: string, path: string): boolean {
  const back = relative(dir, path);
  return !back.startsWith('..') && !isAbsolute(back);
}

/**
 * The real path of `file` (relative to `root`) when it resolves inside `root`'s real path; null when
 * it leaves it (a symbolic link out of the folder) or does not exist.
 */
export function realInside(root: string, file: string): string | null {
  try {
    const real = realpathSync(join(root, file));
    return isWithin(realpathSync(root), real) ? real : null;
  } catch {
    return null;
  }
}

/** Line and column (1-based, in characters) of a byte offset in a buffer of mostly-UTF-8 text. */
function placeOfByte(bytes: Buffer, offset: number): { line: number; column: number } {
  const before = bytes.subarray(0, offset).toString('utf8');
  const lines = before.split('\n');
  return { line: lines.length, column: [...lines[lines.length - 1]].length + 1 };
}

/** Offset of the first byte that is not valid UTF-8, or -1. */
function firstInvalidByte(bytes: Buffer): number {
  try {
    utf8.decode(bytes);
    return -1;
  } catch {
    // Find where: a lead byte, its continuation bytes, no overlong forms or surrogates.
  }
  for (let i = 0; i < bytes.length;) {
    const c = bytes[i];
    const more = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (more < 0) return i;
    for (let k = 1; k <= more; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i;
    const d = bytes[i + 1];
    if ((c === 0xe0 && d < 0xa0) || (c === 0xed && d > 0x9f) || (c === 0xf0 && d < 0x90) || (c === 0xf4 && d > 0x8f)) return i;
    i += more + 1;
  }
  return 0;
}

/**
 * Reads `file` (relative to `root`, `/`-separated) as text. Reports and returns null when the file
 * leaves the folder, cannot be read, contains a NUL byte or is not UTF-8.
 */
export async function readSourceText(
  root: string,
  file: string,
  diagnostics: Diagnostics,
  reportAs = file,
): Promise<string | null> {
  const real = realInside(root, file);
  if (!real) {
    diagnostics.error('outside-course', reportAs, undefined, `\`${file}\` links to a file outside the course folder, or to none`,
      'Only files inside the course folder are read and packaged; copy the file into the course instead of linking to it.');
    return null;
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(real); // small files: a read on the thread pool costs more than it saves
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    diagnostics.error('unreadable-file', reportAs, undefined,
      code === 'EISDIR' ? `\`${file}\` is a folder, not a Markdown file` : `\`${file}\` cannot be read (${code ?? 'error'})`,
      code === 'EISDIR' ? 'Rename the folder: names ending in `.md` are pages.' : 'Check the file\'s permissions.');
    return null;
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    diagnostics.error('binary-file', reportAs, placeOfByte(bytes, nul), 'The file contains a NUL byte: it is not a text file',
      'Save it as plain UTF-8 text; a binary file (image, document) cannot be a page.');
    return null;
  }
  const bad = firstInvalidByte(bytes);
  if (bad >= 0) {
    diagnostics.error('not-utf8', reportAs, placeOfByte(bytes, bad),
      `The file is not valid UTF-8 (byte 0x${bytes[bad].toString(16).toUpperCase().padStart(2, '0')})`,
      'Save the file with the UTF-8 encoding (most editors: "Save with encoding" → UTF-8).');
    return null;
  }
  const text = bytes.toString('utf8');
  return text.startsWith(BOM) ? text.slice(1) : text;
}
