import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { limitsSchema } from '../config/schema.js';
import { extractPages } from './extract.js';
import { sniffFormat } from './sniff.js';
import { readZipDirectory } from './zip.js';

const FIX = join(import.meta.dirname, '..', '..', 'fixtures', 'mail-parts');
const fixture = (name: string): Buffer => readFileSync(join(FIX, name));
const limits = limitsSchema.parse({});

/** Sets a flag bit in every central-directory entry, as an encrypting zipper would. */
function markEncrypted(zip: Buffer): Buffer {
  const out = Buffer.from(zip);
  for (
    let i = out.indexOf('PK\x01\x02', 0, 'latin1');
    i >= 0;
    i = out.indexOf('PK\x01\x02', i + 4, 'latin1')
  ) {
    out.writeUInt16LE(out.readUInt16LE(i + 8) | 1, i + 8);
  }
  return out;
}

describe('zip', () => {
  it('skips encrypted entries with a reason and still returns the readable ones', async () => {
    const plain = Buffer.from(zipSync({ 'a.png': new Uint8Array(fixture('ballot.png')) }));
    const locked = markEncrypted(plain);
    const both = Buffer.from(
      zipSync({
        'locked.zip': [new Uint8Array(locked), { level: 0 }],
        'b.jpg': new Uint8Array(fixture('ballot.jpg')),
      }),
    );
    const outer = await extractPages(both, null, limits);
    expect(outer.ok && outer.format === 'zip' && outer.children.map((c) => c.name).sort()).toEqual([
      'b.jpg',
      'locked.zip',
    ]);
    const inner = await extractPages(locked, null, limits);
    expect(inner).toMatchObject({
      ok: true,
      format: 'zip',
      children: [],
      skipped: [{ name: 'a.png', reason: 'encrypted' }],
    });
  });

  it('decodes GBK entry names written by Chinese Windows without the UTF-8 flag', () => {
    const zip = Buffer.from(zipSync({ 'XX.jpg': new Uint8Array(1) }));
    // Replace the two placeholder bytes in both headers with GBK 选 (D1 A1) and clear the UTF-8 flag.
    const patched = Buffer.from(zip.toString('latin1').replaceAll('XX', '\u00d1\u00a1'), 'latin1');
    const cd = patched.indexOf('PK\x01\x02', 0, 'latin1');
    patched.writeUInt16LE(patched.readUInt16LE(cd + 8) & ~0x800, cd + 8);
    const dir = readZipDirectory(patched);
    expect(dir.ok && dir.entries.map((e) => e.name)).toEqual(['选.jpg']);
  });

  it('treats garbage after the ZIP magic as corrupt, not as a crash', async () => {
    const junk = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(100, 7)]);
    expect(await extractPages(junk, null, limits)).toMatchObject({
      ok: false,
      reason: 'corrupt_file',
      format: 'zip',
    });
  });
});

describe('sniffFormat', () => {
  it('goes by the bytes, not the name', async () => {
    expect((await sniffFormat(fixture('ballot.docx'), 'ballots.zip')).format).toBe('docx');
    expect((await sniffFormat(fixture('ballot.xlsx'), 'x.jpg')).format).toBe('xlsx');
    expect((await sniffFormat(fixture('ballot.bmp'), 'x.png')).format).toBe('bmp');
    expect((await sniffFormat(fixture('ballot.heic'), null)).format).toBe('heic');
    expect((await sniffFormat(fixture('pages.tif'), null)).format).toBe('tiff');
    expect((await sniffFormat(fixture('nested.zip'), 'ballot.pdf')).format).toBe('zip');
  });

  it('finds a PDF header behind junk a mail gateway prepended', async () => {
    const pdf = Buffer.concat([Buffer.from('\r\n\r\ngarbage\r\n'), fixture('scan.pdf')]);
    expect((await sniffFormat(pdf, null)).format).toBe('pdf');
  });

  it('tells password-protected Office files from legacy ones', async () => {
    const ole = (stream: string): Buffer =>
      Buffer.concat([
        Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
        Buffer.alloc(504),
        Buffer.from(stream, 'utf16le'),
      ]);
    expect((await sniffFormat(ole('EncryptedPackage'), '选票.docx')).format).toBe('ooxml_encrypted');
    expect(await extractPages(ole('EncryptedPackage'), '选票.docx', limits)).toMatchObject({
      ok: false,
      reason: 'encrypted',
    });
    expect((await sniffFormat(ole('Workbook'), '选票.xls')).format).toBe('xls');
    expect((await sniffFormat(ole('WordDocument'), '选票.doc')).format).toBe('doc');
  });
});
