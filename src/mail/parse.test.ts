import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { limitsSchema } from '../config/schema.js';
import { parseMail, type ParsedMail, type ParseMailResult } from './parse.js';
import { decodeLegacyName } from '../extract/legacy-name.js';

const FIX = join(import.meta.dirname, '..', '..', 'fixtures', 'mail-parts');
const fixture = (name: string): Buffer => readFileSync(join(FIX, name));
const limits = limitsSchema.parse({});

function mailOf(r: ParseMailResult): ParsedMail {
  if (!r.ok) throw new Error(`expected a mail, got ${r.reason}: ${r.detail}`);
  return r.mail;
}

/** A flat multipart mail with `n` tiny JPEG attachments named a1.jpg … */
function manyAttachments(n: number): Buffer {
  const parts: string[] = [];
  for (let i = 1; i <= n; i++) {
    parts.push(
      `--b\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; filename="a${i}.jpg"\r\nContent-Transfer-Encoding: base64\r\n\r\n/9j/4AAQ\r\n`,
    );
  }
  return Buffer.from(
    `From: many@example.cn\r\nSubject: many\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n${parts.join('')}--b--\r\n`,
  );
}

describe('parseMail', () => {
  it('decodes GBK, GB2312, GB18030 and UTF-8 file names and keeps the declared type as sent', async () => {
    const mail = mailOf(await parseMail(fixture('gbk-names.eml'), limits));
    expect(mail.parts.map((p) => p.filename)).toEqual([
      '选票一.jpg',
      '选票二.png',
      '投票表·三.pdf',
      '镕票四.png',
    ]);
    expect(mail.parts.map((p) => p.path)).toEqual(['1', '2', '3', '4']);
    expect(mail.parts[1]?.declaredType).toBe('application/octet-stream');
    expect(mail.parts.every((p) => p.origin === 'attachment' && p.parentPath === null)).toBe(true);
    expect(mail.parts[0]?.data.equals(fixture('ballot.jpg'))).toBe(true);
    expect(mail.subject).toBe('投票');
    expect(mail.from).toContain('张三');
    expect(mail.to).toBe('ballots@example.org');
    expect(mail.messageId).toBe('<gbk-names@example.cn>');
    expect(mail.date?.toISOString()).toBe('2024-01-22T02:00:00.000Z');
    expect(mail.problems).toEqual([]);
  });

  it('recovers a file name sent as raw GBK bytes without any encoding', async () => {
    const raw = Buffer.concat([
      Buffer.from(
        'From: a@example.cn\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename="',
      ),
      iconv.encode('选票.png', 'gbk'),
      Buffer.from('"\r\n\r\nabc\r\n--x--\r\n'),
    ]);
    expect(mailOf(await parseMail(raw, limits)).parts[0]?.filename).toBe('选票.png');
    // A genuine UTF-8 name is left alone.
    expect(decodeLegacyName(Buffer.from('选票.png', 'utf8'))).toBe('选票.png');
  });

  it('flattens a forwarded mail inside a forwarded mail, with paths and parents', async () => {
    const mail = mailOf(await parseMail(fixture('forwarded-twice.eml'), limits));
    expect(mail.parts.map((p) => [p.path, p.filename, p.origin, p.parentPath])).toEqual([
      ['1', 'top.pdf', 'attachment', null],
      ['2.1', 'middle.jpg', 'forwarded', '2'],
      ['2.2.1', 'deep.png', 'forwarded', '2.2'],
    ]);
    expect(mail.parts[2]?.data.equals(fixture('ballot.png'))).toBe(true);
    expect(mail.problems).toEqual([]);
  });

  it('stops at the nesting limit and records the deeper forward as a problem', async () => {
    const mail = mailOf(await parseMail(fixture('forwarded-twice.eml'), { ...limits, maxNestingDepth: 1 }));
    expect(mail.parts.map((p) => p.path)).toEqual(['1', '2.1']);
    expect(mail.problems).toEqual([
      { path: '2.2', reason: 'too_many_parts', detail: expect.stringMatching(/deeper/) },
    ]);
  });

  it('keeps an inline cid image as an inline part and skips the text and HTML bodies', async () => {
    const mail = mailOf(await parseMail(fixture('inline-cid.eml'), limits));
    expect(mail.parts).toHaveLength(1);
    expect(mail.parts[0]).toMatchObject({ path: '1', filename: 'IMG_0001.jpg', origin: 'inline' });
  });

  it('gives zero parts for a mail that is only text', async () => {
    const mail = mailOf(await parseMail(fixture('no-attachment.eml'), limits));
    expect(mail.parts).toEqual([]);
    expect(mail.problems).toEqual([]);
    expect(mail.subject).toBe('我支持第3项');
  });

  it('reads what it can of corrupt MIME without throwing', async () => {
    const mail = mailOf(await parseMail(fixture('corrupt-mime.eml'), limits));
    expect(mail.parts.map((p) => p.filename)).toEqual(['half.jpg', null]);
    // The bad base64 tail is dropped, the 200 bytes before it survive.
    expect(mail.parts[0]?.data.equals(fixture('ballot.jpg').subarray(0, 200))).toBe(true);
  });

  it('refuses bytes that are not a mail at all', async () => {
    expect(await parseMail(fixture('ballot.jpg'), limits)).toMatchObject({
      ok: false,
      reason: 'parse_failed',
    });
    expect(await parseMail(Buffer.alloc(0), limits)).toMatchObject({ ok: false, reason: 'parse_failed' });
  });

  it('refuses a header block over mailparser\u2019s limit as parse_failed instead of crashing', async () => {
    const raw = Buffer.from(`From: a@example.cn\r\nSubject: ${'x'.repeat(2 * 1024 * 1024)}\r\n\r\nhi\r\n`);
    expect(await parseMail(raw, limits)).toMatchObject({ ok: false, reason: 'parse_failed' });
  });

  it('refuses a pathologically deep MIME tree without crashing', async () => {
    let body = '';
    for (let i = 0; i < 5000; i++)
      body += `--b${i}\r\nContent-Type: multipart/mixed; boundary="b${i + 1}"\r\n\r\n`;
    const r = await parseMail(
      Buffer.from(`From: a@example.cn\r\nContent-Type: multipart/mixed; boundary="b0"\r\n\r\n${body}`),
      limits,
    );
    expect(r.ok).toBe(false);
  });

  it('refuses a mail larger than maxMailBytes before parsing', async () => {
    const r = await parseMail(fixture('gbk-names.eml'), { ...limits, maxMailBytes: 1000 });
    expect(r).toMatchObject({ ok: false, reason: 'too_large' });
  });

  it('records an attachment over maxAttachmentBytes as too_large and keeps the others', async () => {
    const mail = mailOf(await parseMail(fixture('gbk-names.eml'), { ...limits, maxAttachmentBytes: 5000 }));
    expect(mail.parts.map((p) => p.path)).toEqual(['1', '2', '4']);
    expect(mail.problems).toEqual([
      { path: '3', reason: 'too_large', detail: expect.stringContaining('投票表·三.pdf') },
    ]);
  });

  it('keeps the first maxAttachments of 1,000 attachments and records each of the rest', async () => {
    const mail = mailOf(await parseMail(manyAttachments(1000), limits));
    expect(mail.parts).toHaveLength(limits.maxAttachments);
    expect(mail.parts.at(-1)?.filename).toBe(`a${limits.maxAttachments}.jpg`);
    expect(mail.problems).toHaveLength(1000 - limits.maxAttachments);
    expect(mail.problems[0]).toEqual({
      path: String(limits.maxAttachments + 1),
      reason: 'too_many_parts',
      detail: expect.stringContaining(`a${limits.maxAttachments + 1}.jpg`),
    });
  });

  it('refuses the whole mail when its MIME tree is far beyond the attachment limit', async () => {
    const r = await parseMail(manyAttachments(1000), { ...limits, maxAttachments: 10 });
    expect(r).toMatchObject({ ok: false, reason: 'too_many_parts' });
  });
});
