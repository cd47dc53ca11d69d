import { Inflate } from 'fflate';
import { decodeLegacyName } from './legacy-name.js';

/**
 * A ZIP reader that trusts nothing: the central directory is read by hand so that entry count,
 * declared sizes and ratios can be judged before a single byte is inflated, and inflation itself
 * is capped because the directory can lie. Used for plain .zip attachments and for the
 * .docx/.xlsx containers.
 */

export interface ZipEntry {
  /** As stored; "../x" stays a plain string and is never used as a path. */
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly encrypted: boolean;
  readonly isDirectory: boolean;
  readonly localHeaderOffset: number;
}

export type ZipDirectoryResult =
  | { readonly ok: true; readonly entries: readonly ZipEntry[] }
  | { readonly ok: false; readonly detail: string };

export type ZipFailure = {
  readonly ok: false;
  readonly reason:
    'corrupt_file' | 'decompression_bomb' | 'too_many_parts' | 'encrypted' | 'unsupported_format';
  readonly detail: string;
};

export interface ZipLimits {
  readonly maxEntries: number;
  readonly maxExpandedBytes: number;
  readonly maxRatio: number;
  readonly maxEntryBytes: number;
}

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
/** Small entries compress absurdly well (a page of spaces); the ratio rule only bites above this. */
const RATIO_FLOOR_BYTES = 1024 * 1024;
/**
 * Compressed bytes fed per step. Deflate tops out near 1032:1, so one step can overshoot the cap by
 * about 1000× its size: steps are sized from the cap (a directory claiming 1 KB gets 512-byte steps).
 */
const MAX_FEED_BYTES = 16 * 1024;
const MIN_FEED_BYTES = 512;

export function isZip(data: Uint8Array): boolean {
  return data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && (data[2] === 3 || data[2] === 5);
}

export function readZipDirectory(data: Buffer): ZipDirectoryResult {
  const eocd = findEocd(data);
  if (eocd < 0) return { ok: false, detail: 'no ZIP end-of-central-directory record' };
  let count = data.readUInt16LE(eocd + 10);
  let dirSize = data.readUInt32LE(eocd + 12);
  let dirOffset = data.readUInt32LE(eocd + 16);
  if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || data.readUInt32LE(locator) !== ZIP64_LOCATOR_SIG) {
      return { ok: false, detail: 'ZIP64 sizes without a ZIP64 locator' };
    }
    const rec = Number(data.readBigUInt64LE(locator + 8));
    if (rec < 0 || rec + 56 > data.length || data.readUInt32LE(rec) !== ZIP64_EOCD_SIG) {
      return { ok: false, detail: 'broken ZIP64 end record' };
    }
    count = Number(data.readBigUInt64LE(rec + 32));
    dirSize = Number(data.readBigUInt64LE(rec + 40));
    dirOffset = Number(data.readBigUInt64LE(rec + 48));
  }
  if (dirOffset + dirSize > data.length)
    return { ok: false, detail: 'central directory lies outside the file' };

  const entries: ZipEntry[] = [];
  let p = dirOffset;
  // Walk the directory as far as it really goes; `count` is only a hint (and an attacker's number).
  while (p + 46 <= data.length && data.readUInt32LE(p) === CENTRAL_SIG) {
    const flags = data.readUInt16LE(p + 8);
    const method = data.readUInt16LE(p + 10);
    let compressedSize = data.readUInt32LE(p + 20);
    let uncompressedSize = data.readUInt32LE(p + 24);
    const nameLen = data.readUInt16LE(p + 28);
    const extraLen = data.readUInt16LE(p + 30);
    const commentLen = data.readUInt16LE(p + 32);
    let localHeaderOffset = data.readUInt32LE(p + 42);
    const nameEnd = p + 46 + nameLen;
    if (nameEnd + extraLen + commentLen > data.length)
      return { ok: false, detail: 'truncated central directory' };
    const nameBytes = data.subarray(p + 46, nameEnd);
    const zip64 = readZip64Extra(data.subarray(nameEnd, nameEnd + extraLen), {
      uncompressed: uncompressedSize === 0xffffffff,
      compressed: compressedSize === 0xffffffff,
      offset: localHeaderOffset === 0xffffffff,
    });
    if (zip64.uncompressed !== undefined) uncompressedSize = zip64.uncompressed;
    if (zip64.compressed !== undefined) compressedSize = zip64.compressed;
    if (zip64.offset !== undefined) localHeaderOffset = zip64.offset;
    const name = decodeName(nameBytes, (flags & 0x800) !== 0);
    entries.push({
      name,
      method,
      compressedSize,
      uncompressedSize,
      encrypted: (flags & 1) !== 0,
      isDirectory: name.endsWith('/') || name.endsWith('\\'),
      localHeaderOffset,
    });
    p = nameEnd + extraLen + commentLen;
    // Stop early: the caller only needs to know there are more than it allows.
    if (entries.length > 1_000_000) break;
  }
  if (entries.length === 0 && count > 0)
    return { ok: false, detail: 'central directory has no readable entries' };
  return { ok: true, entries };
}

/** The checks that need no inflation: how many entries, how much they claim to expand to, and how suspiciously well. */
export function checkZipDirectory(entries: readonly ZipEntry[], limits: ZipLimits): ZipFailure | null {
  const files = entries.filter((e) => !e.isDirectory);
  if (files.length > limits.maxEntries) {
    return {
      ok: false,
      reason: 'too_many_parts',
      detail: `${files.length} entries, limit ${limits.maxEntries}`,
    };
  }
  let total = 0;
  for (const e of files) {
    total += e.uncompressedSize;
    if (e.uncompressedSize >= RATIO_FLOOR_BYTES && e.uncompressedSize > e.compressedSize * limits.maxRatio) {
      return {
        ok: false,
        reason: 'decompression_bomb',
        detail: `entry "${e.name}" expands ${e.compressedSize} → ${e.uncompressedSize} bytes (ratio limit ${limits.maxRatio})`,
      };
    }
    if (e.uncompressedSize > limits.maxEntryBytes) {
      return {
        ok: false,
        reason: 'decompression_bomb',
        detail: `entry "${e.name}" declares ${e.uncompressedSize} bytes, limit ${limits.maxEntryBytes}`,
      };
    }
  }
  if (total > limits.maxExpandedBytes) {
    return {
      ok: false,
      reason: 'decompression_bomb',
      detail: `entries declare ${total} bytes in all, limit ${limits.maxExpandedBytes}`,
    };
  }
  return null;
}

/**
 * Inflates one entry, never producing more than `maxBytes` nor more than the entry declared
 * (a directory that under-declares is how a bomb slips past the checks above).
 */
export function inflateEntry(
  data: Buffer,
  entry: ZipEntry,
  maxBytes: number,
): { readonly ok: true; readonly data: Buffer } | ZipFailure {
  if (entry.encrypted)
    return { ok: false, reason: 'encrypted', detail: `entry "${entry.name}" is encrypted` };
  const p = entry.localHeaderOffset;
  if (p + 30 > data.length || data.readUInt32LE(p) !== LOCAL_SIG) {
    return { ok: false, reason: 'corrupt_file', detail: `entry "${entry.name}": no local header` };
  }
  const start = p + 30 + data.readUInt16LE(p + 26) + data.readUInt16LE(p + 28);
  const end = start + entry.compressedSize;
  if (end > data.length)
    return { ok: false, reason: 'corrupt_file', detail: `entry "${entry.name}" is truncated` };
  const cap = Math.min(maxBytes, entry.uncompressedSize);
  const compressed = data.subarray(start, end);

  if (entry.method === 0) {
    if (compressed.length > maxBytes) {
      return {
        ok: false,
        reason: 'decompression_bomb',
        detail: `entry "${entry.name}" exceeds ${maxBytes} bytes`,
      };
    }
    return { ok: true, data: Buffer.from(compressed) };
  }
  if (entry.method !== 8) {
    return {
      ok: false,
      reason: 'unsupported_format',
      detail: `entry "${entry.name}" uses compression method ${entry.method}`,
    };
  }

  const chunks: Uint8Array[] = [];
  let produced = 0;
  let overflow = false;
  const inflater = new Inflate((chunk) => {
    produced += chunk.length;
    if (produced > cap) overflow = true;
    else chunks.push(chunk);
  });
  const feed = Math.min(MAX_FEED_BYTES, Math.max(MIN_FEED_BYTES, Math.ceil(cap / 1024)));
  try {
    for (let i = 0; i < compressed.length && !overflow; i += feed) {
      const last = i + feed >= compressed.length;
      inflater.push(compressed.subarray(i, i + feed), last);
    }
  } catch (err) {
    return { ok: false, reason: 'corrupt_file', detail: `entry "${entry.name}": ${(err as Error).message}` };
  }
  if (overflow) {
    const why =
      cap === entry.uncompressedSize && cap < maxBytes
        ? `inflates past its declared ${entry.uncompressedSize} bytes`
        : `inflates past ${maxBytes} bytes`;
    return { ok: false, reason: 'decompression_bomb', detail: `entry "${entry.name}" ${why}` };
  }
  return { ok: true, data: Buffer.concat(chunks) };
}

function findEocd(data: Buffer): number {
  const stop = Math.max(0, data.length - 22 - 0xffff);
  for (let i = data.length - 22; i >= stop; i--) {
    if (data.readUInt32LE(i) === EOCD_SIG) return i;
  }
  return -1;
}

function readZip64Extra(
  extra: Buffer,
  want: { uncompressed: boolean; compressed: boolean; offset: boolean },
): { uncompressed?: number; compressed?: number; offset?: number } {
  let p = 0;
  while (p + 4 <= extra.length) {
    const id = extra.readUInt16LE(p);
    const size = extra.readUInt16LE(p + 2);
    if (id === 0x0001) {
      const out: { uncompressed?: number; compressed?: number; offset?: number } = {};
      let q = p + 4;
      const end = Math.min(extra.length, q + size);
      // The fields appear only for the values that overflowed, in this fixed order.
      if (want.uncompressed && q + 8 <= end) {
        out.uncompressed = Number(extra.readBigUInt64LE(q));
        q += 8;
      }
      if (want.compressed && q + 8 <= end) {
        out.compressed = Number(extra.readBigUInt64LE(q));
        q += 8;
      }
      if (want.offset && q + 8 <= end) out.offset = Number(extra.readBigUInt64LE(q));
      return out;
    }
    p += 4 + size;
  }
  return {};
}

/** Entry names without the UTF-8 flag are CP437 in theory, GBK in practice (Chinese Windows). */
function decodeName(bytes: Buffer, utf8Flag: boolean): string {
  if (utf8Flag) return new TextDecoder('utf-8').decode(bytes);
  if (bytes.every((b) => b < 0x80)) return bytes.toString('latin1');
  return decodeLegacyName(bytes);
}
