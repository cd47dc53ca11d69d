import type { Limits } from '../config/schema.js';
import type { PagesResult } from './extract-result.js';
import { checkZipDirectory, inflateEntry, readZipDirectory, type ZipEntry } from './zip.js';

/** An opened .docx/.xlsx: its parts can be read by name, each inflated under the archive limits. */
export interface OoxmlPackage {
  has(name: string): boolean;
  /** The part as UTF-8 text, or a failure when it is missing, broken or expands too far. */
  read(name: string): { readonly ok: true; readonly text: string } | Exclude<PagesResult, { ok: true }>;
}

export function openOoxml(
  data: Buffer,
  limits: Limits,
): { readonly ok: true; readonly pkg: OoxmlPackage } | Exclude<PagesResult, { ok: true }> {
  const dir = readZipDirectory(data);
  if (!dir.ok) return { ok: false, reason: 'corrupt_file', detail: dir.detail };
  const check = checkZipDirectory(dir.entries, zipLimits(limits));
  if (check) return check;
  const byName = new Map<string, ZipEntry>();
  for (const e of dir.entries) byName.set(e.name, e);
  let budget = limits.maxArchiveExpandedBytes;
  return {
    ok: true,
    pkg: {
      has: (name) => byName.has(name),
      read(name) {
        const entry = byName.get(name);
        if (!entry) return { ok: false, reason: 'corrupt_file', detail: `part ${name} is missing` };
        const out = inflateEntry(data, entry, Math.min(budget, limits.maxAttachmentBytes));
        if (!out.ok) return out;
        budget -= out.data.length;
        return { ok: true, text: out.data.toString('utf8') };
      },
    },
  };
}

export function zipLimits(limits: Limits): {
  maxEntries: number;
  maxExpandedBytes: number;
  maxRatio: number;
  maxEntryBytes: number;
} {
  return {
    maxEntries: limits.maxArchiveEntries,
    maxExpandedBytes: limits.maxArchiveExpandedBytes,
    maxRatio: limits.maxArchiveRatio,
    maxEntryBytes: limits.maxAttachmentBytes,
  };
}

/** The local part of a qualified name: Word always writes "w:", but the prefix is only a convention. */
export function localName(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
}

/** The value of the attribute whose local name is `name`, whatever its prefix. */
export function attr(attributes: Record<string, string>, name: string): string | undefined {
  for (const [k, v] of Object.entries(attributes)) {
    if (localName(k) === name) return v;
  }
  return undefined;
}
