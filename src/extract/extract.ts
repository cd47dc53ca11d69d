import type { Limits } from '../config/schema.js';
import { extractDocx } from './docx.js';
import type { ArchiveChild, ExtractFailureReason, ExtractResult } from './extract-result.js';
import { extractImage } from './image.js';
import { zipLimits } from './ooxml-package.js';
import { extractPdf } from './pdf.js';
import { sniffFormat, type FileFormat } from './sniff.js';
import { extractXlsx } from './xlsx.js';
import { checkZipDirectory, inflateEntry, readZipDirectory } from './zip.js';

export type { ArchiveChild, ExtractFailureReason, ExtractResult } from './extract-result.js';

/**
 * One attachment → its ballot pages. The stage's entry point: the format comes from the bytes,
 * every refusal is a typed result with a reason staff can read, and nothing here throws for bad
 * input. A ZIP yields children instead of pages; the caller extracts each one level deeper and
 * stops at limits.maxNestingDepth.
 */
export async function extractPages(
  data: Buffer,
  filename: string | null,
  limits: Limits,
): Promise<ExtractResult> {
  if (data.length > limits.maxAttachmentBytes) {
    return {
      ok: false,
      reason: 'too_large',
      detail: `${data.length} bytes, limit ${limits.maxAttachmentBytes}`,
      format: null,
    };
  }
  const { format, label } = await sniffFormat(data, filename);
  try {
    switch (format) {
      case 'jpeg':
      case 'png':
      case 'gif':
      case 'webp':
      case 'tiff':
      case 'bmp':
      case 'heic':
      case 'avif':
        return withFormat(format, await extractImage(data, format, limits));
      case 'pdf':
        return withFormat(format, await extractPdf(data, limits));
      case 'docx':
        return withFormat(format, extractDocx(data, limits));
      case 'xlsx':
        return withFormat(format, extractXlsx(data, limits));
      case 'zip':
        return extractZip(data, limits);
      case 'ooxml_encrypted':
        return { ok: false, reason: 'encrypted', detail: 'password-protected Office document', format };
      case 'doc':
      case 'xls':
      case 'wps':
      case 'ppt':
      case 'pptx':
      case 'odf':
      case 'ole':
      case 'rtf':
      case 'archive':
      case 'text':
      case 'unknown':
        return {
          ok: false,
          reason: 'unsupported_format',
          detail: `${label}${filename ? ` (${filename})` : ''} is not a format ballots are read from`,
          format,
        };
      default: {
        const never: never = format;
        throw new Error(`unhandled format ${String(never)}`);
      }
    }
  } catch (err) {
    // Every reader returns its failures; reaching here means a decoder threw where it should not have.
    // Recorded against the attachment rather than taking the mail (or the daemon) down with it.
    return { ok: false, reason: 'corrupt_file', detail: `reader failed: ${(err as Error).message}`, format };
  }
}

function withFormat(
  format: Exclude<FileFormat, 'zip'>,
  result: Awaited<ReturnType<typeof extractPdf>>,
): ExtractResult {
  return result.ok ? { ok: true, format, pages: result.pages } : { ...result, format };
}

function extractZip(data: Buffer, limits: Limits): ExtractResult {
  const dir = readZipDirectory(data);
  if (!dir.ok) return { ok: false, reason: 'corrupt_file', detail: dir.detail, format: 'zip' };
  const refused = checkZipDirectory(dir.entries, zipLimits(limits));
  if (refused) return { ...refused, format: 'zip' };

  const children: ArchiveChild[] = [];
  const skipped: { name: string; reason: ExtractFailureReason; detail: string }[] = [];
  let budget = limits.maxArchiveExpandedBytes;
  for (const entry of dir.entries) {
    if (entry.isDirectory) continue;
    // macOS Finder adds resource-fork shadows of every file; they are never ballots.
    if (entry.name.startsWith('__MACOSX/') || entry.name.split('/').pop()?.startsWith('._')) continue;
    const out = inflateEntry(data, entry, Math.min(budget, limits.maxAttachmentBytes));
    if (!out.ok) {
      // A bomb hidden behind a lying directory condemns the whole archive; one odd entry does not.
      if (out.reason === 'decompression_bomb') return { ...out, format: 'zip' };
      skipped.push({ name: entry.name, reason: out.reason, detail: out.detail });
      continue;
    }
    budget -= out.data.length;
    children.push({ name: entry.name, data: out.data });
  }
  return { ok: true, format: 'zip', pages: [], children, skipped };
}
