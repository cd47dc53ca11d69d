import { posix } from 'node:path';
import { SaxesParser } from 'saxes';
import type { Limits } from '../config/schema.js';
import type { PagesResult } from './extract-result.js';
import { attr, localName, openOoxml } from './ooxml-package.js';
import type { Page } from './page.js';

/**
 * An electronically filled ballot in Excel/WPS: every sheet with cells becomes one document page,
 * a rectangle of cell texts from its first used cell to its last, empty cells as ''.
 */
/** A sheet whose used range is larger than this is not a ballot but an attack on memory. */
const MAX_SHEET_CELLS = 2_000_000;

export function extractXlsx(data: Buffer, limits: Limits): PagesResult {
  const opened = openOoxml(data, limits);
  if (!opened.ok) return opened;
  const { pkg } = opened;
  try {
    let shared: string[] = [];
    if (pkg.has('xl/sharedStrings.xml')) {
      const sst = pkg.read('xl/sharedStrings.xml');
      if (!sst.ok) return sst;
      shared = readSharedStrings(sst.text);
    }
    const sheetPaths = sheetOrder(pkg);
    if (sheetPaths.length > limits.maxPagesPerAttachment) {
      return {
        ok: false,
        reason: 'too_many_parts',
        detail: `workbook has ${sheetPaths.length} sheets, limit ${limits.maxPagesPerAttachment}`,
      };
    }
    const pages: Page[] = [];
    for (const path of sheetPaths) {
      const xml = pkg.read(path);
      if (!xml.ok) return xml;
      const rows = readSheet(xml.text, shared);
      if (rows === 'too_large') {
        return { ok: false, reason: 'too_large', detail: `${path} spans more than ${MAX_SHEET_CELLS} cells` };
      }
      if (rows.length > 0) pages.push({ source: 'document', pageNo: pages.length + 1, format: 'xlsx', rows });
    }
    return { ok: true, pages };
  } catch (err) {
    return { ok: false, reason: 'corrupt_file', detail: (err as Error).message };
  }
}

/** Sheets in the order the workbook lists them (tab order), falling back to the file names. */
function sheetOrder(pkg: {
  has(n: string): boolean;
  read(n: string): { ok: boolean; text?: string };
}): string[] {
  const wb = pkg.read('xl/workbook.xml');
  const rels = pkg.has('xl/_rels/workbook.xml.rels') ? pkg.read('xl/_rels/workbook.xml.rels') : null;
  const targets = new Map<string, string>();
  if (rels?.ok && rels.text !== undefined) {
    forEachTag(rels.text, (name, attrs) => {
      if (name !== 'Relationship') return;
      const id = attrs['Id'];
      const target = attrs['Target'];
      if (!id || !target) return;
      // Targets are relative to xl/ unless they start with '/'; "../" stays inside the package by normalising.
      const path = target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join('xl', target));
      targets.set(id, path);
    });
  }
  const out: string[] = [];
  if (wb.ok && wb.text !== undefined) {
    forEachTag(wb.text, (name, attrs) => {
      if (name !== 'sheet') return;
      const id = attr(attrs, 'id');
      const path = id ? targets.get(id) : undefined;
      if (path && pkg.has(path)) out.push(path);
    });
  }
  if (out.length > 0) return out;
  const fallback: string[] = [];
  for (let i = 1; i <= 10_000 && fallback.length < 1000; i++) {
    const p = `xl/worksheets/sheet${i}.xml`;
    if (pkg.has(p)) fallback.push(p);
    else if (i > 50) break;
  }
  return fallback;
}

function forEachTag(xml: string, fn: (name: string, attrs: Record<string, string>) => void): void {
  const parser = new SaxesParser({ xmlns: false });
  parser.on('opentag', (tag) => fn(localName(tag.name), tag.attributes as Record<string, string>));
  parser.write(xml).close();
}

/** sharedStrings.xml: one string per <si>, rich-text runs joined, phonetic guides (rPh) left out. */
export function readSharedStrings(xml: string): string[] {
  const parser = new SaxesParser({ xmlns: false });
  const out: string[] = [];
  let current: string | null = null;
  let inT = false;
  let inPhonetic = false;
  parser.on('opentag', (tag) => {
    const name = localName(tag.name);
    if (name === 'si') current = '';
    else if (name === 't') inT = true;
    else if (name === 'rPh') inPhonetic = true;
  });
  parser.on('closetag', (tag) => {
    const name = localName(tag.name);
    if (name === 'si') {
      out.push(current ?? '');
      current = null;
    } else if (name === 't') inT = false;
    else if (name === 'rPh') inPhonetic = false;
  });
  parser.on('text', (text) => {
    if (inT && !inPhonetic && current !== null) current += text;
  });
  parser.write(xml).close();
  return out;
}

/** One worksheet → its used range as rows of strings. */
export function readSheet(xml: string, shared: readonly string[]): string[][] | 'too_large' {
  const parser = new SaxesParser({ xmlns: false });
  const cells = new Map<number, Map<number, string>>();
  let rowNo = 0;
  let colNo = 0;
  let cellType = 'n';
  let value: string | null = null;
  let inline: string | null = null;
  let inV = false;
  let inT = false;

  parser.on('opentag', (tag) => {
    const name = localName(tag.name);
    const attrs = tag.attributes as Record<string, string>;
    if (name === 'row') {
      const r = Number(attrs['r']);
      rowNo = Number.isInteger(r) && r > 0 ? r : rowNo + 1;
      colNo = 0;
    } else if (name === 'c') {
      const ref = attrs['r'];
      const parsed = ref ? parseRef(ref) : null;
      if (parsed) {
        rowNo = parsed.row;
        colNo = parsed.col;
      } else {
        colNo += 1;
      }
      cellType = attrs['t'] ?? 'n';
      value = null;
      inline = null;
    } else if (name === 'v') {
      inV = true;
      value = '';
    } else if (name === 'is') {
      inline = '';
    } else if (name === 't' && inline !== null) {
      inT = true;
    }
  });
  parser.on('closetag', (tag) => {
    const name = localName(tag.name);
    if (name === 'v') inV = false;
    else if (name === 't') inT = false;
    else if (name === 'c') {
      const text = cellText(cellType, value, inline, shared);
      if (text !== '') {
        let row = cells.get(rowNo);
        if (!row) cells.set(rowNo, (row = new Map()));
        row.set(colNo, text);
      }
    }
  });
  parser.on('text', (text) => {
    if (inV && value !== null) value += text;
    else if (inT && inline !== null) inline += text;
  });
  parser.write(xml).close();

  if (cells.size === 0) return [];
  const rowNos = [...cells.keys()];
  const minRow = Math.min(...rowNos);
  const maxRow = Math.max(...rowNos);
  let minCol = Infinity;
  let maxCol = 0;
  for (const row of cells.values()) {
    for (const c of row.keys()) {
      minCol = Math.min(minCol, c);
      maxCol = Math.max(maxCol, c);
    }
  }
  if ((maxRow - minRow + 1) * (maxCol - minCol + 1) > MAX_SHEET_CELLS) return 'too_large';
  const rows: string[][] = [];
  for (let r = minRow; r <= maxRow; r++) {
    const row = cells.get(r);
    const out: string[] = [];
    for (let c = minCol; c <= maxCol; c++) out.push(row?.get(c) ?? '');
    rows.push(out);
  }
  return rows;
}

function cellText(
  type: string,
  value: string | null,
  inline: string | null,
  shared: readonly string[],
): string {
  switch (type) {
    case 's': {
      const i = Number(value);
      return Number.isInteger(i) ? (shared[i] ?? '') : '';
    }
    case 'inlineStr':
      return inline ?? '';
    case 'b':
      return value === '1' ? 'TRUE' : value === '0' ? 'FALSE' : (value ?? '');
    default:
      return value ?? inline ?? '';
  }
}

/** "AB12" → column 28, row 12 (both 1-based). */
function parseRef(ref: string): { row: number; col: number } | null {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(ref);
  if (!m || !m[1] || !m[2]) return null;
  let col = 0;
  for (const ch of m[1].toUpperCase()) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(m[2]), col };
}
