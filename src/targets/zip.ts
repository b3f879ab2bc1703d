/**
 * Deterministic zips: entries sorted by path, one fixed timestamp and mode, so the same input
 * gives a byte-identical package (and LMSs that compare uploads see no change).
 *
 * Written here rather than with archiver because the five packages of a course share most of their
 * files: each distinct file is deflated once per build (with the build cache, once until it
 * changes) and its bytes reused in every package
 * (archiver deflates and checksums every entry of every package again). The format is the plain
 * one every LMS unpacks: deflated or stored entries, UTF-8 names, no zip64 (packages stay far
 * below 4 GB; a larger one is refused).
 */
import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';
import type { Files } from '../render/site.ts';

/** 2000-01-01 00:00 as an MS-DOS date and time. */
const DOS_DATE = ((2000 - 1980) << 9) | (1 << 5) | 1;
const DOS_TIME = 0;
const UTF8_NAMES = 0x0800;
const VERSION = 20; // 2.0: deflate
const MADE_BY_UNIX = (3 << 8) | VERSION;
const FILE_MODE = 0o100644;

/** A file as its zip entry holds it. */
export interface Packed {
  crc: number;
  size: number;
  method: 0 | 8;
  data: Buffer;
}

/** Entries by a hash of the content: for one build, or kept between builds (the build cache). */
export interface PackedStore {
  get(key: string): Packed | null;
  set(key: string, packed: Packed): void;
}

// zlib.crc32 exists from Node 20.15 on; the table covers older 20.x.
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(data: Buffer): number {
  const native = (zlib as { crc32?: (d: Buffer) => number }).crc32;
  if (native) return native(data) >>> 0;
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Without the build cache: deflated (or stored, where deflate does not help) bytes for one build. */
export function packedInMemory(): PackedStore {
  const packed = new Map<string, Packed>();
  return { get: (key) => packed.get(key) ?? null, set: (key, value) => void packed.set(key, value) };
}

/** Per store, the entries of texts it packed: a build's packages share their site's very strings. */
const packedTexts = new WeakMap<PackedStore, Map<string, Packed>>();

function packEntry(content: string | Buffer, store: PackedStore): Packed {
  if (typeof content !== 'string') return pack(content, store);
  let texts = packedTexts.get(store);
  if (!texts) packedTexts.set(store, texts = new Map());
  let packed = texts.get(content);
  if (!packed) {
    packed = pack(Buffer.from(content, 'utf8'), store);
    texts.set(content, packed);
  }
  return packed;
}

function pack(content: Buffer, store: PackedStore): Packed {
  const key = createHash('sha1').update(content).digest('hex');
  let packed = store.get(key);
  if (!packed) {
    // zlib's default level: level 9 made the course's packages 0.1 % smaller at twice the time.
    const deflated = zlib.deflateRawSync(content, { level: 6 });
    const stored = deflated.length >= content.length;
    packed = { crc: crc32(content), size: content.length, method: stored ? 0 : 8, data: stored ? content : deflated };
    store.set(key, packed);
  }
  return packed;
}

function header(signature: number, fields: [number, 2 | 4][], name: Buffer): Buffer {
  const fixed = Buffer.alloc(4 + fields.reduce((n, [, width]) => n + width, 0));
  fixed.writeUInt32LE(signature, 0);
  let at = 4;
  for (const [value, width] of fields) {
    if (width === 2) fixed.writeUInt16LE(value, at);
    else fixed.writeUInt32LE(value, at);
    at += width;
  }
  return Buffer.concat([fixed, name]);
}

/** One package; `store` is shared by the packages of a build, which deflate each file once. */
export async function zipFiles(files: Files, store: PackedStore): Promise<Buffer> {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const paths = [...files.keys()].sort();
  for (const path of paths) {
    const content = files.get(path)!;
    const entry = packEntry(content, store);
    const name = Buffer.from(path, 'utf8');
    const common: [number, 2 | 4][] = [
      [UTF8_NAMES, 2], [entry.method, 2], [DOS_TIME, 2], [DOS_DATE, 2],
      [entry.crc, 4], [entry.data.length, 4], [entry.size, 4], [name.length, 2], [0, 2],
    ];
    const local = header(0x04034b50, [[VERSION, 2], ...common], name);
    central.push(header(0x02014b50, [[MADE_BY_UNIX, 2], [VERSION, 2], ...common, [0, 2], [0, 2], [0, 2], [FILE_MODE * 0x10000, 4], [offset, 4]], name));
    parts.push(local, entry.data);
    offset += local.length + entry.data.length;
  }
  const directory = Buffer.concat(central);
  if (offset + directory.length > 0xffffffff || paths.length > 0xffff) {
    throw new Error('A package over 4 GB or 65,535 files is beyond the plain zip format LMSs read');
  }
  const end = header(0x06054b50, [[0, 2], [0, 2], [paths.length, 2], [paths.length, 2], [directory.length, 4], [offset, 4], [0, 2]], Buffer.alloc(0));
  return Buffer.concat([...parts, directory, end]);
}
