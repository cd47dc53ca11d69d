import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { limitsSchema } from '../config/schema.js';
import { extractDocx, readDocxTables } from './docx.js';

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const doc = (body: string): string =>
  `<?xml version="1.0"?><w:document ${W}><w:body>${body}</w:body></w:document>`;
const tc = (inner: string): string => `<w:tc><w:p>${inner}</w:p></w:tc>`;
const t = (s: string): string => `<w:r><w:t>${s}</w:t></w:r>`;

describe('readDocxTables', () => {
  it('reads a legacy FORMCHECKBOX field as ☑ or ☐ by its state', () => {
    const box = (checked: string): string =>
      `<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:checkBox><w:sizeAuto/>${checked}</w:checkBox></w:ffData></w:fldChar></w:r><w:r><w:instrText> FORMCHECKBOX </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`;
    const rows = readDocxTables(
      doc(
        `<w:tbl><w:tr>${tc(box('<w:default w:val="0"/><w:checked/>'))}${tc(box('<w:default w:val="0"/>'))}${tc(box('<w:default w:val="1"/>'))}</w:tr></w:tbl>`,
      ),
    );
    expect(rows).toEqual([[['☑', '☐', '☑']]]);
  });

  it('maps a √ typed as a letter in a Wingdings run to ✓', () => {
    const run =
      '<w:r><w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr><w:t>\u00fc</w:t></w:r>';
    expect(readDocxTables(doc(`<w:tbl><w:tr>${tc(t('1'))}${tc(run)}</w:tr></w:tbl>`))).toEqual([
      [['1', '✓']],
    ]);
  });

  it('keeps columns aligned across merged cells and folds nested tables into their cell', () => {
    const merged = `<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p>${t('标题')}</w:p></w:tc>`;
    const nested = `<w:tc><w:tbl><w:tr>${tc(t('a'))}${tc(t('b'))}</w:tr></w:tbl><w:p/></w:tc>`;
    const rows = readDocxTables(
      doc(
        `<w:tbl><w:tr>${merged}${tc(t('投票'))}</w:tr><w:tr>${tc(t('1'))}${nested}${tc(t('√'))}</w:tr></w:tbl><w:p/><w:tbl><w:tr>${tc('')}</w:tr></w:tbl>`,
      ),
    );
    expect(rows).toEqual([
      [
        ['标题', '', '投票'],
        ['1', 'a b', '√'],
      ],
      [['']],
    ]);
  });

  it('ignores deleted text from tracked changes', () => {
    const cell = `<w:del><w:r><w:delText>√</w:delText></w:r></w:del><w:ins><w:r><w:t>✓</w:t></w:r></w:ins>`;
    expect(readDocxTables(doc(`<w:tbl><w:tr>${tc(cell)}</w:tr></w:tbl>`))).toEqual([[['✓']]]);
  });
});

describe('extractDocx', () => {
  const limits = limitsSchema.parse({});
  const pack = (xml: string): Buffer =>
    Buffer.from(zipSync({ 'word/document.xml': new TextEncoder().encode(xml) }));

  it('refuses an XML entity bomb instead of expanding it', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><w:document ${W}><w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>&c;&c;&c;</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>`;
    const r = extractDocx(pack(bomb), limits);
    expect(r).toMatchObject({ ok: false, reason: 'corrupt_file' });
  });

  it('reports malformed document.xml and a missing one as corrupt', () => {
    expect(extractDocx(pack('<w:document><w:body><w:tbl>'), limits)).toMatchObject({
      ok: false,
      reason: 'corrupt_file',
    });
    const noDoc = Buffer.from(zipSync({ 'word/other.xml': new Uint8Array(1) }));
    expect(extractDocx(noDoc, limits)).toMatchObject({ ok: false, reason: 'corrupt_file' });
  });

  it('gives no pages for a document without tables (the caller records no ballot)', () => {
    expect(extractDocx(pack(doc(`<w:p>${t('我投第3项')}</w:p>`)), limits)).toEqual({ ok: true, pages: [] });
  });
});
