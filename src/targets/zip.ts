/**
 * Deterministic zips: entries sorted by path, one fixed timestamp and mode, so the same input
 * gives a byte-identical package (and LMSs that compare uploads see no change).
 */
import { ZipArchive } from 'archiver';
import type { Files } from '../render/site.ts';

const FIXED_DATE = new Date('2000-01-01T00:00:00Z');

export async function zipFiles(files: Files): Promise<Buffer> {
  const archive = new ZipArchive({ zlib: { level: 9 }, forceLocalTime: false });
  const chunks: Buffer[] = [];
  archive.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    archive.on('end', () => resolve());
    archive.on('error', reject);
    archive.on('warning', reject);
  });
  for (const path of [...files.keys()].sort()) {
    const content = files.get(path)!;
    archive.append(typeof content === 'string' ? Buffer.from(content, 'utf8') : content, {
      name: path, date: FIXED_DATE, mode: 0o644,
    });
  }
  await archive.finalize();
  await done;
  return Buffer.concat(chunks);
}
