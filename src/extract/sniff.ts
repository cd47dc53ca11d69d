import { fileTypeFromBuffer } from 'file-type';
import { isZip, readZipDirectory } from './zip.js';

/**
 * What a file really is, judged from its bytes. The Content-Type header and the file name are
 * whatever the sender's phone or mail client guessed; only the bytes decide how we read it.
 */
export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'tiff' | 'bmp' | 'heic' | 'avif';
export type ReadableFormat = ImageFormat | 'pdf' | 'docx' | 'xlsx' | 'zip';
/** Recognised but not read: staff see the name, the ballot does not silently vanish. */
export type UnreadFormat =
  | 'doc'
  | 'xls'
  | 'wps'
  | 'ppt'
  | 'pptx'
  | 'odf'
  | 'ole'
  | 'ooxml_encrypted'
  | 'rtf'
  | 'archive'
  | 'text'
  | 'unknown';
export type FileFormat = ReadableFormat | UnreadFormat;

export interface Sniffed {
  readonly format: FileFormat;
  /** What file-type (or our own check) called it, for staff when the format is not one we read. */
  readonly label: string;
}

const FILE_TYPE_TO_FORMAT: Readonly<Record<string, FileFormat>> = {
  jpg: 'jpeg',
  png: 'png',
  gif: 'gif',
  webp: 'webp',
  tif: 'tiff',
  bmp: 'bmp',
  heic: 'heic',
  avif: 'avif',
  pdf: 'pdf',
  rtf: 'rtf',
  rar: 'archive',
  '7z': 'archive',
  gz: 'archive',
  bz2: 'archive',
  xz: 'archive',
  tar: 'archive',
  zst: 'archive',
  cab: 'archive',
  odt: 'odf',
  ods: 'odf',
  odp: 'odf',
  ppt: 'ppt',
  pptx: 'pptx',
};

export async function sniffFormat(data: Buffer, filename: string | null): Promise<Sniffed> {
  if (data.length === 0) return { format: 'unknown', label: 'empty' };
  // Our own checks first for the containers file-type reads only partly.
  if (isZip(data)) return sniffZip(data);
  if (isOle(data)) return sniffOle(data, filename);
  if (isBmp(data)) return { format: 'bmp', label: 'bmp' };
  if (startsWithPdf(data)) return { format: 'pdf', label: 'pdf' };

  let detected: { ext: string; mime: string } | undefined;
  try {
    detected = await fileTypeFromBuffer(data);
  } catch {
    detected = undefined;
  }
  if (detected) {
    const format = FILE_TYPE_TO_FORMAT[detected.ext] ?? 'unknown';
    return { format, label: detected.ext };
  }
  if (looksLikeText(data)) return { format: 'text', label: 'text' };
  return { format: 'unknown', label: 'unknown' };
}

function sniffZip(data: Buffer): Sniffed {
  const dir = readZipDirectory(data);
  // A broken directory is still a ZIP by its magic; extract reports it as corrupt.
  if (!dir.ok) return { format: 'zip', label: 'zip' };
  const names = new Set(dir.entries.map((e) => e.name));
  if (names.has('word/document.xml')) return { format: 'docx', label: 'docx' };
  if (names.has('xl/workbook.xml')) return { format: 'xlsx', label: 'xlsx' };
  if (names.has('ppt/presentation.xml')) return { format: 'pptx', label: 'pptx' };
  if (names.has('mimetype') && names.has('content.xml')) return { format: 'odf', label: 'odf' };
  return { format: 'zip', label: 'zip' };
}

function isOle(data: Buffer): boolean {
  return data.length >= 8 && data.readUInt32BE(0) === 0xd0cf11e0 && data.readUInt32BE(4) === 0xa1b11ae1;
}

/**
 * OLE compound files hold .doc, .xls, Kingsoft .wps/.et, and password-protected .docx/.xlsx.
 * The stream names sit in the directory as UTF-16LE, so a byte search is enough to tell them apart.
 */
function sniffOle(data: Buffer, filename: string | null): Sniffed {
  const has = (name: string): boolean => data.includes(Buffer.from(name, 'utf16le'));
  if (has('EncryptedPackage')) return { format: 'ooxml_encrypted', label: 'encrypted docx/xlsx' };
  const ext = filename?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? '';
  // Kingsoft WPS writes Word-compatible streams; only the extension tells the two apart.
  if (ext === 'wps') return { format: 'wps', label: 'wps' };
  if (has('WordDocument')) return { format: 'doc', label: 'doc' };
  if (has('Workbook') || has('Book')) return { format: 'xls', label: ext === 'et' ? 'et' : 'xls' };
  if (has('PowerPoint Document')) return { format: 'ppt', label: 'ppt' };
  return { format: 'ole', label: 'ole' };
}

/** file-type does not detect BMP; "BM" plus a sane DIB header size keeps text starting with "BM" out. */
function isBmp(data: Buffer): boolean {
  if (data.length < 26 || data[0] !== 0x42 || data[1] !== 0x4d) return false;
  const dib = data.readUInt32LE(14);
  return dib === 12 || dib === 40 || dib === 52 || dib === 56 || dib === 64 || dib === 108 || dib === 124;
}

/** The PDF spec lets the header sit anywhere in the first 1024 bytes (mail gateways sometimes prepend junk). */
function startsWithPdf(data: Buffer): boolean {
  const idx = data.subarray(0, 1024).indexOf('%PDF-');
  return idx >= 0;
}

function looksLikeText(data: Buffer): boolean {
  const head = data.subarray(0, 4096);
  for (const b of head) {
    if (b === 0) return false;
  }
  return true;
}
