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
  if (!packed) texts.set(content, packed = pack(content, store));
  return packed;
}

/** A text is hashed as its UTF-8 bytes, which are made only when they must be deflated. */
function pack(content: string | Buffer, store: PackedStore): Packed {
  const key = createHash('sha1').update(content).digest('hex');
  let packed = store.get(key);
  if (!packed) {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    // zlib's default level: level 9 made the course's packages 0.1 % smaller at twice the time.
    const deflated = zlib.deflateRawSync(bytes, { level: 6 });
    const stored = deflated.length >= bytes.length;
    packed = { crc: crc32(bytes), size: bytes.length, method: stored ? 0 : 8, data: stored ? bytes : deflated };
    store.set(key, packed);
  }
  return packed;
}

/** Fixed sizes of a local header, a central directory record and the end record, before any name. */
const LOCAL_BYTES = 30;
const CENTRAL_BYTES = 46;
const END_BYTES = 22;

/** The 24 bytes a local header and its central directory record share, from `at` on. */
function writeCommon(record: Buffer, at: number, entry: Packed, nameBytes: number): void {
  record.writeUInt16LE(UTF8_NAMES, at);
  record.writeUInt16LE(entry.method, at + 2);
  record.writeUInt16LE(DOS_TIME, at + 4);
  record.writeUInt16LE(DOS_DATE, at + 6);
  record.writeUInt32LE(entry.crc, at + 8);
  record.writeUInt32LE(entry.data.length, at + 12);
  record.writeUInt32LE(entry.size, at + 16);
  record.writeUInt16LE(nameBytes, at + 20);
  record.writeUInt16LE(0, at + 22); // no extra field
}

function localHeader(entry: Packed, name: string): Buffer {
  const nameBytes = Buffer.byteLength(name);
  const record = Buffer.alloc(LOCAL_BYTES + nameBytes);
  record.writeUInt32LE(0x04034b50, 0);
  record.writeUInt16LE(VERSION, 4);
  writeCommon(record, 6, entry, nameBytes);
  record.write(name, LOCAL_BYTES, 'utf8');
  return record;
}

/** No comment, disk 0, no internal attributes, a regular file's mode, and where its local header is. */
function centralRecord(entry: Packed, name: string, offset: number): Buffer {
  const nameBytes = Buffer.byteLength(name);
  const record = Buffer.alloc(CENTRAL_BYTES + nameBytes);
  record.writeUInt32LE(0x02014b50, 0);
  record.writeUInt16LE(MADE_BY_UNIX, 4);
  record.writeUInt16LE(VERSION, 6);
  writeCommon(record, 8, entry, nameBytes);
  record.writeUInt32LE(FILE_MODE * 0x10000, 38);
  record.writeUInt32LE(offset, 42);
  record.write(name, CENTRAL_BYTES, 'utf8');
  return record;
}

/** One disk, every entry on it, no comment. */
function endRecord(entries: number, directoryBytes: number, directoryOffset: number): Buffer {
  const record = Buffer.alloc(END_BYTES);
  record.writeUInt32LE(0x06054b50, 0);
  record.writeUInt16LE(entries, 8);
  record.writeUInt16LE(entries, 10);
  record.writeUInt32LE(directoryBytes, 12);
  record.writeUInt32LE(directoryOffset, 16);
  return record;
}

/** One package; `store` is shared by the packages of a build, which deflate each file once. */
export async function zipFiles(files: Files, store: PackedStore): Promise<Buffer> {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const paths = [...files.keys()].sort();
  for (const path of paths) {
    const entry = packEntry(files.get(path)!, store);
    const local = localHeader(entry, path);
    central.push(centralRecord(entry, path, offset));
    parts.push(local, entry.data);
    offset += local.length + entry.data.length;
  }
  const directory = Buffer.concat(central);
  if (offset + directory.length > 0xffffffff || paths.length > 0xffff) {
    throw new Error('A package over 4 GB or 65,535 files is beyond the plain zip format LMSs read');
  }
  return Buffer.concat([...parts, directory, endRecord(paths.length, directory.length, offset)]);
}
