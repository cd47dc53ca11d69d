import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { limitsSchema } from '../config/schema.js';
import { extractPages, type ExtractResult } from './extract.js';
import type { Page } from './page.js';
import { extractPdf, stopPdfReader } from './pdf.js';

const FIX = join(import.meta.dirname, '..', '..', 'fixtures', 'mail-parts');
const fixture = (name: string): Buffer => readFileSync(join(FIX, name));
const limits = limitsSchema.parse({});

afterAll(() => stopPdfReader());

function pagesOf(r: ExtractResult): readonly Page[] {
  if (!r.ok) throw new Error(`expected pages, got ${r.reason}: ${r.detail}`);
  return r.pages;
}

async function pixel(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}

describe('images', () => {
  it('passes a JPEG through byte for byte so the recognizer still sees its EXIF orientation', async () => {
    const jpeg = fixture('ballot.jpg');
    const r = await extractPages(jpeg, 'x.png', limits);
    expect(r.ok && r.format).toBe('jpeg');
    const [page] = pagesOf(r);
    expect(page?.source === 'image' && page.image).toBe(jpeg);
    expect((await sharp(jpeg).metadata()).orientation).toBe(6);
  });

  it('reads PNG, WebP and GIF as one image page each, whatever the file is called', async () => {
    for (const [name, format] of [
      ['ballot.png', 'png'],
      ['ballot.webp', 'webp'],
      ['ballot.gif', 'gif'],
    ] as const) {
      const r = await extractPages(fixture(name), 'ballot.jpg', limits);
      expect(r.ok && r.format, name).toBe(format);
      expect(pagesOf(r)).toHaveLength(1);
    }
  });

  it('turns every page of a multi-page TIFF into its own PNG page, in order', async () => {
    const pages = pagesOf(await extractPages(fixture('pages.tif'), null, limits));
    expect(pages.map((p) => p.pageNo)).toEqual([1, 2, 3]);
    const colours = await Promise.all(
      pages.map((p) => (p.source === 'image' ? pixel(p.image, 10, 10) : Promise.resolve([] as number[]))),
    );
    // Dominant channel per page: red, green, blue (TIFF round trips may shift a value by one).
    expect(colours.map((c) => c.indexOf(Math.max(...c)))).toEqual([0, 1, 2]);
    for (const c of colours) expect(Math.max(...c)).toBeGreaterThan(250);
  });

  it('refuses a TIFF with more pages than allowed', async () => {
    const r = await extractPages(fixture('pages.tif'), null, { ...limits, maxPagesPerAttachment: 2 });
    expect(r).toMatchObject({ ok: false, reason: 'too_many_parts', format: 'tiff' });
  });

  it('decodes a BMP (which sharp cannot) into a PNG with the right colours and orientation', async () => {
    const r = await extractPages(fixture('ballot.bmp'), 'scan.bmp', limits);
    expect(r.ok && r.format).toBe('bmp');
    const [page] = pagesOf(r);
    if (page?.source !== 'image') throw new Error('expected an image page');
    const meta = await sharp(page.image).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 120, 90]);
    // Same picture as ballot.png scaled: white corner, black frame at the top left.
    const original = await sharp(fixture('ballot.png')).resize(120, 90).removeAlpha().png().toBuffer();
    expect(await pixel(page.image, 2, 2)).toEqual(await pixel(original, 2, 2));
    const { data: a } = await sharp(page.image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const { data: b } = await sharp(original).raw().toBuffer({ resolveWithObject: true });
    expect(a.equals(b)).toBe(true);
  });

  it('decodes a 32-bit BMP with a V5 header and channel masks, as Windows tools write them', async () => {
    const [page] = pagesOf(await extractPages(fixture('ballot-v5.bmp'), null, limits));
    if (page?.source !== 'image') throw new Error('expected an image page');
    const original = await sharp(fixture('ballot.png')).resize(120, 90).removeAlpha().png().toBuffer();
    const { data: a } = await sharp(page.image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const { data: b } = await sharp(original).raw().toBuffer({ resolveWithObject: true });
    expect(a.equals(b)).toBe(true);
  });

  it('decodes an iPhone-style HEIC photo into a PNG', async () => {
    const r = await extractPages(fixture('ballot.heic'), 'IMG_0001.HEIC', limits);
    expect(r.ok && r.format).toBe('heic');
    const [page] = pagesOf(r);
    if (page?.source !== 'image') throw new Error('expected an image page');
    const meta = await sharp(page.image).metadata();
    expect([meta.width, meta.height]).toEqual([320, 240]);
  });

  it('refuses a PNG declaring 10 gigapixels before decoding it', async () => {
    const t0 = performance.now();
    const r = await extractPages(fixture('bomb.png'), 'bomb.png', limits);
    expect(r).toMatchObject({ ok: false, reason: 'decompression_bomb', format: 'png' });
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('reports a BMP cut short as corrupt', async () => {
    const bmp = fixture('ballot.bmp');
    const r = await extractPages(bmp.subarray(0, bmp.length / 2), null, limits);
    expect(r).toMatchObject({ ok: false, reason: 'corrupt_file', format: 'bmp' });
  });

  it('applies the pixel limit to BMP headers too', async () => {
    const r = await extractPages(fixture('ballot.bmp'), null, { ...limits, maxImagePixels: 1000 });
    expect(r).toMatchObject({ ok: false, reason: 'decompression_bomb', format: 'bmp' });
  });

  it('reports a truncated PNG as corrupt', async () => {
    const r = await extractPages(fixture('truncated.png'), null, limits);
    expect(r).toMatchObject({ ok: false, reason: 'corrupt_file', format: 'png' });
  });

  it('reports a JPEG with a broken header as corrupt', async () => {
    const broken = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(50, 0xff)]);
    const r = await extractPages(broken, null, limits);
    expect(r).toMatchObject({ ok: false, reason: 'corrupt_file', format: 'jpeg' });
  });

  it('lets a 12 MP phone photo through on its header alone', async () => {
    const big = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#ddd' } })
      .jpeg({ quality: 85 })
      .toBuffer();
    const t0 = performance.now();
    const r = await extractPages(big, 'IMG_1234.JPG', limits);
    const ms = performance.now() - t0;
    expect(pagesOf(r)[0]).toMatchObject({ source: 'image', image: big });
    // Generous: a full decode of 12 MP takes several hundred ms on this machine even when idle.
    expect(ms).toBeLessThan(1000);
  });

  it('does not decode JPEG pixel data: a JPEG cut off after its header passes, the recognizer judges it', async () => {
    const jpeg = fixture('ballot.jpg');
    const sos = jpeg.indexOf(Buffer.from([0xff, 0xda]));
    const truncated = jpeg.subarray(0, sos + 20);
    const r = await extractPages(truncated, null, limits);
    expect(r.ok && r.format).toBe('jpeg');
    await expect(sharp(truncated).raw().toBuffer()).rejects.toThrow(/premature end/);
  });

  it('refuses an attachment larger than maxAttachmentBytes without looking inside', async () => {
    const r = await extractPages(fixture('ballot.png'), null, { ...limits, maxAttachmentBytes: 100 });
    expect(r).toMatchObject({ ok: false, reason: 'too_large', format: null });
  });
});

describe('office documents', () => {
  it('reads the docx ballot table with typed, symbol and check-box marks', async () => {
    const r = await extractPages(fixture('ballot.docx'), 'ballot.docx', limits);
    expect(r.ok && r.format).toBe('docx');
    const [page] = pagesOf(r);
    if (page?.source !== 'document') throw new Error('expected a document page');
    expect(page.format).toBe('docx');
    expect(page.rows[0]).toEqual(['序号', '名称', '投票']);
    expect(page.rows.map((row) => row[2])).toEqual(['投票', '√', '', '✓', '', '☑', '☐', '', '✔']);
    expect(page.rows[6]).toEqual(['6', '经济技术开发区', '☐']);
  });

  it('reads the xlsx sheets in tab order, the used range with empty cells as ""', async () => {
    const r = await extractPages(fixture('ballot.xlsx'), 'ballot.xlsx', limits);
    expect(r.ok && r.format).toBe('xlsx');
    const pages = pagesOf(r);
    expect(pages).toHaveLength(2);
    const [notes, ballot] = pages;
    if (notes?.source !== 'document' || ballot?.source !== 'document') throw new Error('expected documents');
    expect(notes.rows).toEqual([['请在投票栏打√']]);
    expect(ballot.pageNo).toBe(2);
    expect(ballot.rows[0]).toEqual(['序号', '名称', '投票']);
    expect(ballot.rows[1]).toEqual(['1', '源汇区', '√']);
    expect(ballot.rows[2]).toEqual(['2', '郾城区', '']);
    expect(ballot.rows.map((row) => row[2])).toEqual(['投票', '√', '', '✓', '', '✔', '', '', '']);
  });

  it('records .doc, .wps and .rtf as unsupported_format for staff', async () => {
    expect(await extractPages(fixture('legacy.doc'), '选票.doc', limits)).toMatchObject({
      ok: false,
      reason: 'unsupported_format',
      format: 'doc',
    });
    expect(await extractPages(fixture('legacy.wps'), '选票.wps', limits)).toMatchObject({
      ok: false,
      reason: 'unsupported_format',
      format: 'wps',
    });
    expect(await extractPages(fixture('notes.rtf'), null, limits)).toMatchObject({
      ok: false,
      reason: 'unsupported_format',
      format: 'rtf',
    });
    expect(await extractPages(Buffer.from('just some text'), 'a.txt', limits)).toMatchObject({
      ok: false,
      reason: 'unsupported_format',
      format: 'text',
    });
  });
});

describe('archives', () => {
  it('returns the files of a ZIP as children, nested archives included, names only as names', async () => {
    const r = await extractPages(fixture('nested.zip'), 'ballots.zip', limits);
    if (!r.ok || r.format !== 'zip') throw new Error(`expected a zip, got ${JSON.stringify(r)}`);
    expect(r.pages).toEqual([]);
    expect(r.children.map((c) => c.name).sort()).toEqual(['../escape.png', 'ballot.jpg', 'inner.zip']);
    expect(r.children.find((c) => c.name === 'ballot.jpg')?.data.equals(fixture('ballot.jpg'))).toBe(true);
    const inner = r.children.find((c) => c.name === 'inner.zip');
    const innerResult = await extractPages(inner!.data, inner!.name, limits);
    expect(innerResult.ok && innerResult.format === 'zip' && innerResult.children.map((c) => c.name)).toEqual(
      ['ballot.png'],
    );
  });

  it('refuses a high-ratio zip bomb from its directory, before inflating', async () => {
    const r = await extractPages(fixture('bomb.zip'), 'bomb.zip', limits);
    expect(r).toMatchObject({ ok: false, reason: 'decompression_bomb', format: 'zip' });
  });

  it('catches a bomb whose directory lies about the size while inflating', async () => {
    const r = await extractPages(fixture('bomb-lying.zip'), 'bomb.zip', limits);
    expect(r).toMatchObject({ ok: false, reason: 'decompression_bomb', format: 'zip' });
    if (!r.ok) expect(r.detail).toMatch(/declared 1024/);
  });

  it('refuses a zip with more entries than allowed', async () => {
    const r = await extractPages(fixture('many-entries.zip'), null, limits);
    expect(r).toMatchObject({ ok: false, reason: 'too_many_parts', format: 'zip' });
  });

  it('reports a zip cut short as corrupt', async () => {
    const zip = fixture('nested.zip');
    const r = await extractPages(zip.subarray(0, zip.length - 40), null, limits);
    expect(r).toMatchObject({ ok: false, reason: 'corrupt_file', format: 'zip' });
  });
});

describe('PDF', () => {
  it('gives the text layer of a typed ballot with positions, and a 200 dpi render', async () => {
    const r = await extractPages(fixture('text-layer.pdf'), 'ballot.pdf', limits);
    expect(r.ok && r.format).toBe('pdf');
    const pages = pagesOf(r);
    expect(pages).toHaveLength(2);
    const [first] = pages;
    if (first?.source !== 'pdf' || !first.text || !first.image) throw new Error('expected text and image');
    const strs = first.text.items.map((i) => i.str);
    expect(strs).toEqual(expect.arrayContaining(['序号', '名称', '投票', '源汇区', '√', '✓', '✔']));
    expect(first.text.width).toBeCloseTo(595.28, 1);
    const tick = first.text.items.find((i) => i.str === '√')!;
    const header = first.text.items.find((i) => i.str === '投票')!;
    // Same column as the 投票 header, one row (28 pt) below it; top-left origin.
    expect(tick.x).toBeCloseTo(header.x, 0);
    expect(tick.y - header.y).toBeCloseTo(28, 0);
    const meta = await sharp(first.image).metadata();
    expect(meta.width).toBeGreaterThan(1600);
    expect(meta.width).toBeLessThan(1700);
  });

  it('renders an image-only scan, with no text layer', async () => {
    const [page] = pagesOf(await extractPages(fixture('scan.pdf'), 'scan.pdf', limits));
    if (page?.source !== 'pdf') throw new Error('expected a pdf page');
    expect(page.text).toBeNull();
    expect(page.image).not.toBeNull();
    // The scan's blue tick is on the page: some strongly blue pixels exist.
    const { data, info } = await sharp(page.image!).raw().toBuffer({ resolveWithObject: true });
    let blue = 0;
    for (let i = 0; i < data.length; i += info.channels) if (data[i + 2]! > 200 && data[i]! < 80) blue++;
    expect(blue).toBeGreaterThan(100);
  });

  it('says encrypted for a password-protected PDF', async () => {
    const r = await extractPages(fixture('encrypted.pdf'), null, limits);
    expect(r).toMatchObject({ ok: false, reason: 'encrypted', format: 'pdf' });
  });

  it('says corrupt for a truncated PDF and keeps working for the next one', async () => {
    const r = await extractPages(fixture('truncated.pdf'), null, limits);
    expect(r).toMatchObject({ ok: false, format: 'pdf' });
    if (!r.ok) expect(['corrupt_file']).toContain(r.reason);
    const next = await extractPages(fixture('scan.pdf'), null, limits);
    expect(next.ok).toBe(true);
  });

  it('refuses a PDF with more pages than allowed', async () => {
    const r = await extractPages(fixture('text-layer.pdf'), null, { ...limits, maxPagesPerAttachment: 1 });
    expect(r).toMatchObject({ ok: false, reason: 'too_many_parts', format: 'pdf' });
  });

  it('adds filled PDF form fields to the text layer: typed text as is, check boxes as ☑ / ☐', async () => {
    const [page] = pagesOf(await extractPages(fixture('form-fields.pdf'), null, limits));
    if (page?.source !== 'pdf' || !page.text) throw new Error('expected a text layer');
    const fields = page.text.items.filter((i) => i.x === 400 && i.y >= 100);
    expect(fields.map((i) => [i.str, i.y])).toEqual([
      ['√', 100],
      ['☑', 156],
      ['☐', 184],
    ]);
  });

  it('decodes text in a non-embedded Chinese font through the local cMaps', async () => {
    const [page] = pagesOf(await extractPages(fixture('cjk-no-embed.pdf'), null, limits));
    if (page?.source !== 'pdf' || !page.text) throw new Error('expected a text layer');
    const text = page.text.items.map((i) => i.str).join('|');
    expect(text).toContain('投票');
    expect(text).toContain('源汇区');
    expect(text).toContain('√');
    // 770 pt from the bottom is 72 pt from the top of an 842 pt page, minus the 14 pt glyph height.
    const first = page.text.items[0]!;
    expect(first.x).toBeCloseTo(72, 0);
    expect(first.y).toBeCloseTo(842 - 770 - 14, 0);
  });

  it('gives up on a PDF that takes too long, kills the reader, and the next PDF still reads', async () => {
    // Warm reader first, so the timeout below hits the job and not the start-up grace.
    expect((await extractPages(fixture('scan.pdf'), null, limits)).ok).toBe(true);
    const slow = await extractPages(fixture('text-layer.pdf'), null, {
      ...limits,
      pageTimeoutSeconds: 0.001,
    });
    expect(slow).toMatchObject({ ok: false, reason: 'processing_failed', format: 'pdf' });
    const next = await extractPages(fixture('text-layer.pdf'), null, limits);
    expect(next.ok && next.pages.length).toBe(2);
  });

  it('fails the PDF being read when the reader process dies, then starts a new reader', async () => {
    // extractPdf hands the job to the reader synchronously; the reader is then killed from outside,
    // as the kernel's OOM killer or a native crash in the canvas would.
    const pending = extractPdf(fixture('text-layer.pdf'), limits);
    const pids = execFileSync('pgrep', ['-P', String(process.pid), '-f', 'pdf-child'], { encoding: 'utf8' })
      .trim()
      .split('\n');
    for (const pid of pids) process.kill(Number(pid), 'SIGKILL');
    const r = await pending;
    expect(r).toMatchObject({ ok: false, reason: 'processing_failed' });
    if (!r.ok) expect(r.detail).toMatch(/died \(SIGKILL\)/);
    expect((await extractPages(fixture('scan.pdf'), null, limits)).ok).toBe(true);
  });

  it('reads PDFs handed over concurrently, each getting its own pages', async () => {
    const [a, b, c] = await Promise.all([
      extractPages(fixture('scan.pdf'), null, limits),
      extractPages(fixture('text-layer.pdf'), null, limits),
      extractPages(fixture('encrypted.pdf'), null, limits),
    ]);
    expect(a.ok && a.pages.length).toBe(1);
    expect(b.ok && b.pages.length).toBe(2);
    expect(c).toMatchObject({ ok: false, reason: 'encrypted' });
  });
});
