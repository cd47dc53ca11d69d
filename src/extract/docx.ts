import { SaxesParser } from 'saxes';
import type { Limits } from '../config/schema.js';
import type { PagesResult } from './extract-result.js';
import { attr, localName, openOoxml } from './ooxml-package.js';
import type { Page } from './page.js';
import { isSymbolFont, symbolChar } from './symbol-fonts.js';

/**
 * An electronically filled ballot in Word: every top-level table (w:tbl) becomes one document page,
 * its rows as cell texts. The mark is whatever the voter put in the cell, kept exactly: typed √ ✓ ✔,
 * a symbol inserted from Wingdings, or a checkbox content control (written out as ☑ / ☐).
 */
export function extractDocx(data: Buffer, limits: Limits): PagesResult {
  const opened = openOoxml(data, limits);
  if (!opened.ok) return opened;
  const xml = opened.pkg.read('word/document.xml');
  if (!xml.ok) return xml;
  try {
    const tables = readDocxTables(xml.text);
    if (tables.length > limits.maxPagesPerAttachment) {
      return {
        ok: false,
        reason: 'too_many_parts',
        detail: `document has ${tables.length} tables, limit ${limits.maxPagesPerAttachment}`,
      };
    }
    const pages: Page[] = tables.map((rows, i) => ({
      source: 'document',
      pageNo: i + 1,
      format: 'docx',
      rows,
    }));
    return { ok: true, pages };
  } catch (err) {
    return { ok: false, reason: 'corrupt_file', detail: `word/document.xml: ${(err as Error).message}` };
  }
}

interface TableState {
  rows: string[][];
  row: string[] | null;
  cell: string | null;
  span: number;
}

interface SdtState {
  checkbox: boolean | null;
  inContent: boolean;
}

/** Exported for tests: document.xml text → the rows of each top-level table. Throws on malformed XML. */
export function readDocxTables(xml: string): string[][][] {
  const parser = new SaxesParser({ xmlns: false });
  const done: string[][][] = [];
  const tables: TableState[] = [];
  const sdts: SdtState[] = [];
  let inText = false;
  let runFont: string | null = null;
  let legacyBox: { checked: boolean } | null = null;
  let inRunProps = false;

  const current = (): TableState | undefined => tables[tables.length - 1];
  const append = (s: string): void => {
    const t = current();
    if (t && t.cell !== null) t.cell += s;
  };
  // Text inside a checkbox control is the glyph Word drew for it (☒ in MS Gothic); the control's state wins.
  const suppressed = (): boolean => sdts.some((s) => s.inContent && s.checkbox !== null);

  parser.on('opentag', (tag) => {
    const name = localName(tag.name);
    const attrs = tag.attributes as Record<string, string>;
    switch (name) {
      case 'tbl':
        tables.push({ rows: [], row: null, cell: null, span: 1 });
        break;
      case 'tr': {
        const t = current();
        if (t) t.row = [];
        break;
      }
      case 'tc': {
        const t = current();
        if (t) {
          t.cell = '';
          t.span = 1;
        }
        break;
      }
      case 'gridSpan': {
        const t = current();
        const n = Number(attr(attrs, 'val'));
        if (t && Number.isInteger(n) && n > 1 && n < 1000) t.span = n;
        break;
      }
      case 'p': {
        // Paragraphs inside one cell are separate lines.
        const t = current();
        if (t && t.cell) t.cell += '\n';
        break;
      }
      case 't':
        inText = true;
        break;
      case 'tab':
        if (!inRunProps) append(' ');
        break;
      case 'br':
      case 'cr':
        append('\n');
        break;
      case 'rPr':
        inRunProps = true;
        break;
      case 'rFonts':
        if (inRunProps)
          runFont = attr(attrs, 'ascii') ?? attr(attrs, 'hAnsi') ?? attr(attrs, 'cs') ?? runFont;
        break;
      case 'sym': {
        const font = attr(attrs, 'font') ?? '';
        const code = parseInt(attr(attrs, 'char') ?? '', 16);
        if (!suppressed()) append(Number.isFinite(code) ? symbolChar(font, code) : '\uFFFD');
        break;
      }
      case 'sdt':
        sdts.push({ checkbox: null, inContent: false });
        break;
      case 'checkbox': {
        // w14:checkbox inside w:sdtPr: a content-control check box.
        const s = sdts[sdts.length - 1];
        if (s && !s.inContent) s.checkbox = false;
        break;
      }
      case 'checked': {
        const s = sdts[sdts.length - 1];
        const val = attr(attrs, 'val');
        const on = val === undefined || val === '1' || val === 'true' || val === 'on';
        if (legacyBox) legacyBox.checked = on;
        else if (s && !s.inContent && s.checkbox !== null) s.checkbox = on;
        break;
      }
      case 'checkBox':
        // Legacy FORMCHECKBOX field: w:ffData/w:checkBox with w:default and maybe w:checked.
        legacyBox = { checked: false };
        break;
      case 'default':
        if (legacyBox) {
          const val = attr(attrs, 'val');
          legacyBox.checked = val === '1' || val === 'true' || val === 'on';
        }
        break;
      case 'sdtContent': {
        const s = sdts[sdts.length - 1];
        if (s) {
          if (s.checkbox !== null && !suppressed()) append(s.checkbox ? '☑' : '☐');
          s.inContent = true;
        }
        break;
      }
      default:
        break;
    }
  });

  parser.on('closetag', (tag) => {
    const name = localName(tag.name);
    switch (name) {
      case 'tbl': {
        const t = tables.pop();
        if (!t) break;
        const parent = current();
        if (parent && parent.cell !== null) {
          // A table nested in a cell: its text belongs to that cell.
          const text = t.rows.map((r) => r.filter((c) => c !== '').join(' ')).join('\n');
          parent.cell += text;
        } else if (!parent) {
          done.push(t.rows);
        }
        break;
      }
      case 'tr': {
        const t = current();
        if (t && t.row) t.rows.push(t.row);
        if (t) t.row = null;
        break;
      }
      case 'tc': {
        const t = current();
        if (t && t.row && t.cell !== null) {
          t.row.push(t.cell.trim());
          // A merged cell still occupies its grid columns, so column positions line up across rows.
          for (let i = 1; i < t.span; i++) t.row.push('');
        }
        if (t) t.cell = null;
        break;
      }
      case 't':
        inText = false;
        break;
      case 'rPr':
        inRunProps = false;
        break;
      case 'r':
        runFont = null;
        break;
      case 'sdt':
        sdts.pop();
        break;
      case 'ffData':
        if (legacyBox) append(legacyBox.checked ? '☑' : '☐');
        legacyBox = null;
        break;
      default:
        break;
    }
  });

  parser.on('text', (text) => {
    if (!inText || suppressed()) return;
    if (runFont && isSymbolFont(runFont)) {
      append([...text].map((ch) => symbolChar(runFont ?? '', ch.codePointAt(0) ?? 0)).join(''));
    } else {
      append(text);
    }
  });

  parser.write(xml).close();
  return done;
}
