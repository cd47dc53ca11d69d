/**
 * Writes the small inputs the mail and extract tests read: fixtures/mail-parts/.
 * Run: npx tsx scripts/make-mail-parts.ts
 *
 * Needs the Debian packages fonts-wqy-zenhei (CJK font for the text-layer PDF) and
 * libheif-examples (heif-enc, for the HEIC photo). Deterministic apart from what pdfkit
 * and the encoders embed; the tests assert on content, not on bytes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync, zipSync, type Zippable } from 'fflate';
import iconv from 'iconv-lite';
import PDFDocument from 'pdfkit';
import sharp from 'sharp';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'mail-parts');
const CJK_FONT = '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc';
const CJK_FONT_NAME = 'WenQuanYiZenHei';
/** WenQuanYi has √ but no ✓ ✔; like a word processor, fall back to another font for those marks. */
const MARK_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

/** The districts ballot as printed: 序号, 名称, 投票; rows 1–8. Names are placeholders, the layout is what matters. */
const ROWS: readonly (readonly [string, string, string])[] = [
  ['1', '源汇区', '√'],
  ['2', '郾城区', ''],
  ['3', '召陵区', '✓'],
  ['4', '舞阳县', ''],
  ['5', '临颍县', '✔'],
  ['6', '经济技术开发区', ''],
  ['7', '城乡一体化示范区', ''],
  ['8', '西城区', ''],
];

function write(name: string, data: Buffer | Uint8Array | string): void {
  writeFileSync(join(OUT, name), data);
}

/** A small picture with a grid and a tick, so every image format carries something recognisable. */
async function ballotPng(width = 320, height = 240): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="#fff"/>
    <rect x="20" y="20" width="${width - 40}" height="${height - 40}" fill="none" stroke="#000" stroke-width="2"/>
    <line x1="${width - 100}" y1="20" x2="${width - 100}" y2="${height - 20}" stroke="#000" stroke-width="2"/>
    <path d="M${width - 80} 60 l15 20 l35 -45" fill="none" stroke="#00f" stroke-width="5"/>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

// ---------- mail ----------

function b64lines(data: Buffer): string {
  return (data.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

function rfc2231(name: string, charset: string): string {
  const bytes = iconv.encode(name, charset);
  return [...bytes]
    .map((b) =>
      (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2e
        ? String.fromCharCode(b)
        : '%' + b.toString(16).toUpperCase().padStart(2, '0'),
    )
    .join('');
}

function rfc2047(name: string, charset: string): string {
  return `=?${charset}?B?${iconv.encode(name, charset).toString('base64')}?=`;
}

function attachment(headers: string[], data: Buffer): string {
  return [...headers, 'Content-Transfer-Encoding: base64', '', b64lines(data), ''].join('\r\n');
}

function multipart(boundary: string, type: string, parts: string[]): string {
  return parts.map((p) => `--${boundary}\r\n${p}`).join('\r\n') + `\r\n--${boundary}--\r\n`;
}

function mail(headers: string[], boundary: string, parts: string[], type = 'multipart/mixed'): string {
  return [
    ...headers,
    'MIME-Version: 1.0',
    `Content-Type: ${type}; boundary="${boundary}"`,
    '',
    multipart(boundary, type, parts),
  ].join('\r\n');
}

const TEXT_PART = 'Content-Type: text/plain; charset=utf-8\r\n\r\n附件是我的选票。\r\n';

async function makeMails(png: Buffer, jpeg: Buffer, pdf: Buffer): Promise<void> {
  write(
    'gbk-names.eml',
    mail(
      [
        'From: =?GB2312?B?' + iconv.encode('张三', 'gb2312').toString('base64') + '?= <zhangsan@example.cn>',
        'To: ballots@example.org',
        'Subject: ' + rfc2047('投票', 'GB2312'),
        'Date: Mon, 22 Jan 2024 10:00:00 +0800',
        'Message-ID: <gbk-names@example.cn>',
      ],
      'b1',
      [
        TEXT_PART,
        attachment(
          [
            'Content-Type: image/jpeg',
            `Content-Disposition: attachment; filename*=gbk''${rfc2231('选票一.jpg', 'gbk')}`,
          ],
          jpeg,
        ),
        attachment(
          [
            `Content-Type: application/octet-stream; name="${rfc2047('选票二.png', 'GB2312')}"`,
            `Content-Disposition: attachment; filename="${rfc2047('选票二.png', 'GB2312')}"`,
          ],
          png,
        ),
        attachment(
          [
            'Content-Type: application/pdf',
            `Content-Disposition: attachment; filename*=utf-8''${rfc2231('投票表·三.pdf', 'utf-8')}`,
          ],
          pdf,
        ),
        attachment(
          [
            'Content-Type: image/png',
            `Content-Disposition: attachment; filename="${rfc2047('镕票四.png', 'GB18030')}"`,
          ],
          png,
        ),
      ],
    ),
  );

  // A mail forwarded inside a forwarded mail: top → part 2 (forward) → part 2.2 (forward) → part 2.2.1.
  const innermost = mail(
    ['From: c@example.cn', 'Subject: 选票原件', 'Message-ID: <innermost@example.cn>'],
    'b3',
    [
      TEXT_PART,
      attachment(['Content-Type: image/png', 'Content-Disposition: attachment; filename="deep.png"'], png),
    ],
  );
  const middle = mail(['From: b@example.cn', 'Subject: Fwd: 选票原件'], 'b2', [
    attachment(['Content-Type: image/jpeg', 'Content-Disposition: attachment; filename="middle.jpg"'], jpeg),
    'Content-Type: message/rfc822\r\nContent-Disposition: attachment; filename="inner.eml"\r\n\r\n' +
      innermost,
  ]);
  write(
    'forwarded-twice.eml',
    mail(
      [
        'From: a@example.cn',
        'To: ballots@example.org',
        'Subject: Fwd: Fwd: 选票原件',
        'Message-ID: <fwd2@example.cn>',
      ],
      'b1',
      [
        attachment(
          ['Content-Type: application/pdf', 'Content-Disposition: attachment; filename="top.pdf"'],
          pdf,
        ),
        'Content-Type: message/rfc822\r\n\r\n' + middle,
      ],
    ),
  );

  // HTML body with the photo inline by cid (how phone mail apps send a pasted picture).
  const related = multipart('rel', 'multipart/related', [
    'Content-Type: text/html; charset=utf-8\r\n\r\n<p>选票</p><img src="cid:photo1@example.cn">\r\n',
    attachment(
      [
        'Content-Type: image/jpeg',
        'Content-ID: <photo1@example.cn>',
        'Content-Disposition: inline; filename="IMG_0001.jpg"',
      ],
      jpeg,
    ),
  ]);
  write(
    'inline-cid.eml',
    [
      'From: d@example.cn',
      'Subject: inline',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="alt"',
      '',
      multipart('alt', 'multipart/alternative', [
        'Content-Type: text/plain; charset=utf-8\r\n\r\n选票\r\n',
        'Content-Type: multipart/related; boundary="rel"\r\n\r\n' + related,
      ]),
    ].join('\r\n'),
  );

  write(
    'no-attachment.eml',
    [
      'From: e@example.cn',
      'Subject: 我支持第3项',
      'Content-Type: text/plain; charset=utf-8',
      '',
      '我投第3项和第5项。',
      '',
    ].join('\r\n'),
  );

  // Broken in several ways at once: unterminated boundary, bad base64, a header line without a colon.
  write(
    'corrupt-mime.eml',
    [
      'From: f@example.cn',
      'Subject: broken',
      'Content-Type: multipart/mixed; boundary="never-closed"',
      'this line is not a header',
      '',
      '--never-closed',
      'Content-Type: image/jpeg',
      'Content-Disposition: attachment; filename="half.jpg"',
      'Content-Transfer-Encoding: base64',
      '',
      jpeg.subarray(0, 200).toString('base64') + '!!!@@@###',
      '--never-closed',
      'Content-Type: application/pdf; name=',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '%PDF-1.4 =ZZ =',
    ].join('\r\n'),
  );
}

// ---------- images ----------

/** 24-bit BMP written by hand, bottom-up as most scanners do, so the decoder is not tested against itself. */
function bmp24(rgb: Buffer, width: number, height: number): Buffer {
  const stride = Math.ceil((width * 3) / 4) * 4;
  const out = Buffer.alloc(54 + stride * height);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(54, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(24, 28);
  out.writeUInt32LE(stride * height, 34);
  for (let y = 0; y < height; y++) {
    const row = 54 + (height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * 3;
      out[row + x * 3] = rgb[s + 2]!;
      out[row + x * 3 + 1] = rgb[s + 1]!;
      out[row + x * 3 + 2] = rgb[s]!;
    }
  }
  return out;
}

/** 32-bit BMP with a BITMAPV5HEADER and BITFIELDS masks, top-down: what current Windows screenshot tools write. */
function bmp32v5(rgb: Buffer, width: number, height: number): Buffer {
  const dib = 124;
  const offset = 14 + dib;
  const out = Buffer.alloc(offset + width * height * 4);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(offset, 10);
  out.writeUInt32LE(dib, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(-height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(32, 28);
  out.writeUInt32LE(3, 30);
  out.writeUInt32LE(width * height * 4, 34);
  out.writeUInt32LE(0x00ff0000, 54);
  out.writeUInt32LE(0x0000ff00, 58);
  out.writeUInt32LE(0x000000ff, 62);
  out.writeUInt32LE(0xff000000, 66);
  out.write('BGRs', 70, 'latin1');
  for (let i = 0; i < width * height; i++) {
    const p = offset + i * 4;
    out[p] = rgb[i * 3 + 2]!;
    out[p + 1] = rgb[i * 3 + 1]!;
    out[p + 2] = rgb[i * 3]!;
    out[p + 3] = 0xff;
  }
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A valid PNG that declares 100000×100000 pixels (10 gigapixels) in a few hundred bytes. */
function bombPng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(100_000, 0);
  ihdr.writeUInt32BE(100_000, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const idat = Buffer.from(deflateSync(new Uint8Array(100_001 * 4)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

async function makeImages(png: Buffer): Promise<{ jpeg: Buffer }> {
  const jpeg = await sharp(png).jpeg({ quality: 80 }).withMetadata({ orientation: 6 }).toBuffer();
  write('ballot.jpg', jpeg);
  write('ballot.png', png);
  write('truncated.png', png.subarray(0, Math.floor(png.length / 2)));
  write('ballot.webp', await sharp(png).webp({ quality: 80 }).toBuffer());
  write('ballot.gif', await sharp(png).gif().toBuffer());
  const { data, info } = await sharp(png)
    .resize(120, 90)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  write('ballot.bmp', bmp24(data, info.width, info.height));
  write('ballot-v5.bmp', bmp32v5(data, info.width, info.height));
  // Three pages of different colours, as a fax-style multi-page scan.
  const pages = await Promise.all(
    ['#ff0000', '#00ff00', '#0000ff'].map((c) =>
      sharp({ create: { width: 64, height: 48, channels: 3, background: c } })
        .png()
        .toBuffer(),
    ),
  );
  write(
    'pages.tif',
    await sharp(pages, { join: { animated: true } })
      .tiff()
      .toBuffer(),
  );
  write('bomb.png', bombPng());

  const tmp = mkdtempSync(join(tmpdir(), 'mail-parts-'));
  try {
    writeFileSync(join(tmp, 'in.png'), png);
    execFileSync('heif-enc', ['-q', '50', '-o', join(tmp, 'out.heic'), join(tmp, 'in.png')], {
      stdio: 'ignore',
    });
    write('ballot.heic', readFileSync(join(tmp, 'out.heic')));
  } catch {
    console.warn('heif-enc not available (apt-get install libheif-examples): ballot.heic not regenerated');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return { jpeg };
}

// ---------- PDF ----------

function pdfToBuffer(
  build: (doc: PDFKit.PDFDocument) => void,
  options: PDFKit.PDFDocumentOptions = {},
): Promise<Buffer> {
  return new Promise((resolve) => {
    const doc = new PDFDocument({ size: 'A4', margin: 0, ...options });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    build(doc);
    doc.end();
  });
}

/** An electronically filled districts ballot: a ruled table, √ ✓ ✔ typed into the 投票 column. */
function drawBallotTable(doc: PDFKit.PDFDocument): void {
  doc.font(CJK_FONT, CJK_FONT_NAME).fontSize(16).text('县区(功能区)选票', 72, 60);
  const x = [72, 132, 400, 500];
  const rowH = 28;
  let y = 100;
  const header = ['序号', '名称', '投票'];
  const all = [header, ...ROWS.map((r) => [...r])];
  doc.fontSize(12);
  for (const row of all) {
    doc.rect(x[0]!, y, x[3]! - x[0]!, rowH).stroke();
    for (let c = 0; c < 3; c++) {
      if (c > 0)
        doc
          .moveTo(x[c]!, y)
          .lineTo(x[c]!, y + rowH)
          .stroke();
      const cell = row[c];
      if (!cell) continue;
      if (c === 2 && cell !== '投票') doc.font(MARK_FONT);
      doc.text(cell, x[c]! + 8, y + 8, { lineBreak: false });
      doc.font(CJK_FONT, CJK_FONT_NAME);
    }
    y += rowH;
  }
}

/**
 * A form filled by software that relies on the reader's CJK fonts: Type0 STSong-Light with the
 * UniGB-UCS2-H encoding and no embedded font file. Only readable with pdfjs's packed cMaps.
 * pdfkit always embeds, so this one is written by hand, xref offsets included.
 */
function nonEmbeddedCjkPdf(): Buffer {
  // 投票 and √ in UCS-2, and the item row "1 源汇区 √".
  const ucs2 = (s: string): string =>
    [...s].map((ch) => ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')).join('');
  const content = `BT /F1 14 Tf 72 770 Td <${ucs2('投票')}> Tj ET\nBT /F1 14 Tf 72 740 Td <${ucs2('1 源汇区 √')}> Tj ET\n`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>',
    `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}endstream`,
    '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 7 0 R /DW 1000 >>',
    '<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

async function makePdfs(png: Buffer): Promise<{ text: Buffer }> {
  write('cjk-no-embed.pdf', nonEmbeddedCjkPdf());
  const text = await pdfToBuffer((doc) => {
    drawBallotTable(doc);
    doc.addPage();
    doc.font(CJK_FONT, CJK_FONT_NAME).fontSize(12).text('第二页:说明', 72, 72);
  });
  write('text-layer.pdf', text);
  write('truncated.pdf', text.subarray(0, Math.floor(text.length / 3)));
  // Filled in a PDF viewer: the marks are form-field values, not page text.
  write(
    'form-fields.pdf',
    await pdfToBuffer((doc) => {
      doc.font(CJK_FONT, CJK_FONT_NAME).fontSize(12).text('投票', 400, 72);
      doc.initForm();
      doc.font('Helvetica');
      doc.formText('vote1', 400, 100, 40, 20, { value: '√' });
      doc.formText('vote2', 400, 128, 40, 20, { value: '' });
      doc.formCheckbox('vote3', 400, 156, 16, 16, { value: 'Yes' } as object);
      doc.formCheckbox('vote4', 400, 184, 16, 16);
    }),
  );
  write(
    'scan.pdf',
    await pdfToBuffer((doc) => {
      doc.image(png, 0, 0, { width: 595 });
    }),
  );
  write(
    'encrypted.pdf',
    await pdfToBuffer(
      (doc) => {
        drawBallotTable(doc);
      },
      { userPassword: 'secret', ownerPassword: 'owner', pdfVersion: '1.7' },
    ),
  );
  return { text };
}

// ---------- Office ----------

const W_NS =
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"';

function docxCell(inner: string): string {
  return `<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/></w:tcPr><w:p>${inner}</w:p></w:tc>`;
}
const run = (t: string): string => `<w:r><w:t xml:space="preserve">${t}</w:t></w:r>`;

function makeDocx(): Uint8Array {
  const marks: Record<string, string> = {
    '1': run('√'),
    // Insert → Symbol → Wingdings 0xFC.
    '3': '<w:r><w:sym w:font="Wingdings" w:char="F0FC"/></w:r>',
    // A check box content control, ticked; Word draws it as ☒ in MS Gothic.
    '5': '<w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="1"/><w14:checkedState w14:val="2612" w14:font="MS Gothic"/><w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:t>☒</w:t></w:r></w:sdtContent></w:sdt>',
    // An unticked check box control.
    '6': '<w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="0"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:t>☐</w:t></w:r></w:sdtContent></w:sdt>',
    '8': run('✔'),
  };
  const rows = [
    `<w:tr>${docxCell(run('序号'))}${docxCell(run('名称'))}${docxCell(run('投票'))}</w:tr>`,
    ...ROWS.map(
      ([no, name]) => `<w:tr>${docxCell(run(no))}${docxCell(run(name))}${docxCell(marks[no] ?? '')}</w:tr>`,
    ),
  ];
  const document = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document ${W_NS}><w:body><w:p>${run('县区(功能区)选票')}</w:p><w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>${rows.join('')}</w:tbl><w:sectPr/></w:body></w:document>`;
  const files: Zippable = {
    '[Content_Types].xml': new TextEncoder().encode(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ),
    '_rels/.rels': new TextEncoder().encode(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    ),
    'word/document.xml': new TextEncoder().encode(document),
  };
  return zipSync(files, { level: 6 });
}

function makeXlsx(): Uint8Array {
  const strings = ['序号', '名称', '投票', ...ROWS.map((r) => r[1]), '√'];
  const si = (s: string): number => strings.indexOf(s);
  const sst = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}" uniqueCount="${strings.length}">${strings
    .map((s) => `<si><t>${s}</t></si>`)
    .join('')}</sst>`;
  const cell = (ref: string, inner: string, t?: string): string =>
    `<c r="${ref}"${t ? ` t="${t}"` : ''}>${inner}</c>`;
  const rows: string[] = [];
  // The table starts at B2, as people tend to leave a margin; row 1 and column A stay empty.
  rows.push(
    `<row r="2">${cell('B2', `<v>${si('序号')}</v>`, 's')}${cell('C2', `<v>${si('名称')}</v>`, 's')}${cell('D2', `<v>${si('投票')}</v>`, 's')}</row>`,
  );
  ROWS.forEach(([no, name, mark], i) => {
    const r = i + 3;
    let markCell = '';
    if (mark === '√') markCell = cell(`D${r}`, `<v>${si('√')}</v>`, 's');
    else if (mark) markCell = cell(`D${r}`, `<is><t>${mark}</t></is>`, 'inlineStr');
    rows.push(
      `<row r="${r}">${cell(`B${r}`, `<v>${no}</v>`)}${cell(`C${r}`, `<v>${si(name)}</v>`, 's')}${markCell}</row>`,
    );
  });
  const sheet = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows.join('')}</sheetData></worksheet>`;
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
  return zipSync(
    {
      '[Content_Types].xml': enc(
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
      ),
      'xl/workbook.xml': enc(
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="说明" sheetId="2" r:id="rId2"/><sheet name="选票" sheetId="1" r:id="rId1"/></sheets></workbook>',
      ),
      'xl/_rels/workbook.xml.rels': enc(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="worksheet" Target="/xl/worksheets/sheet2.xml"/></Relationships>',
      ),
      'xl/sharedStrings.xml': enc(sst),
      'xl/worksheets/sheet1.xml': enc(sheet),
      'xl/worksheets/sheet2.xml': enc(
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>请在投票栏打√</t></is></c></row></sheetData></worksheet>',
      ),
    },
    { level: 6 },
  );
}

/** Compound-file header plus the UTF-16LE stream name Word writes; enough for the sniffer, as a real .doc would be. */
function fakeOle(stream: string): Buffer {
  const head = Buffer.alloc(512);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(head);
  const dir = Buffer.alloc(128);
  Buffer.from(stream, 'utf16le').copy(dir);
  return Buffer.concat([head, dir]);
}

// ---------- archives ----------

function makeArchives(jpeg: Buffer, png: Buffer): void {
  const inner = zipSync({ 'ballot.png': new Uint8Array(png) });
  write(
    'nested.zip',
    zipSync({
      'ballot.jpg': [new Uint8Array(jpeg), { level: 0 }],
      'inner.zip': [inner, { level: 0 }],
      '../escape.png': new Uint8Array(png),
      'folder/': new Uint8Array(0),
      '__MACOSX/._ballot.jpg': new Uint8Array(32),
    }),
  );
  // 20 MB of zeros compress about 1000:1: caught from the central directory, before inflating.
  const bomb = zipSync({ 'zeros.bin': [new Uint8Array(20 * 1024 * 1024), { level: 9 }] });
  write('bomb.zip', bomb);
  // The same bomb with its central directory claiming 1 KB: caught while inflating.
  const lying = Buffer.from(bomb);
  const cd = lying.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  lying.writeUInt32LE(1024, cd + 24);
  write('bomb-lying.zip', lying);
  const many: Zippable = {};
  for (let i = 0; i < 600; i++) many[`p${i}.txt`] = new Uint8Array(0);
  write('many-entries.zip', zipSync(many));
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  if (!existsSync(CJK_FONT)) throw new Error(`missing ${CJK_FONT}: apt-get install fonts-wqy-zenhei`);
  const png = await ballotPng();
  const { jpeg } = await makeImages(png);
  const { text } = await makePdfs(png);
  write('ballot.docx', makeDocx());
  write('ballot.xlsx', makeXlsx());
  write('legacy.doc', fakeOle('WordDocument'));
  write('legacy.wps', fakeOle('WordDocument'));
  write('notes.rtf', '{\\rtf1\\ansi 1 \\u8730? }');
  makeArchives(jpeg, png);
  await makeMails(png, jpeg, text);
  console.log(`wrote fixtures to ${OUT}`);
}

await main();
