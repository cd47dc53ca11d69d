/**
 * Raw 8-bit file names: some Chinese mail clients put GBK bytes straight into
 * `filename="…"` without RFC 2047/2231 encoding. mailparser reads such bytes as UTF-8, which gives
 * replacement characters or, worse, valid but wrong letters (GBK 选票 = D1 A1 C6 B1 is also valid
 * UTF-8 for "ѡƱ"). This scans the raw header bytes for such names and says what each one really
 * was, keyed by what mailparser will have made of it.
 */
const RAW_NAME =
  /\b(?:file)?name\s*=\s*(?:"([^"\r\n]*[\x80-\xff][^"\r\n]*)"|([^;\s"]*[\x80-\xff][^;\s"]*))/gi;

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const gb18030 = new TextDecoder('gb18030');
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/gu;

export function rawFilenameFixes(raw: Buffer): Map<string, string> {
  const fixes = new Map<string, string>();
  // Only the header blocks matter, but names are rare and short; one pass over the text is cheap.
  const text = raw.toString('latin1');
  for (const m of text.matchAll(RAW_NAME)) {
    const value = m[1] ?? m[2];
    if (!value) continue;
    const bytes = Buffer.from(value, 'latin1');
    const asMailparser = bytes.toString('utf8');
    const best = decodeRawName(bytes);
    if (best !== asMailparser) fixes.set(asMailparser, best);
  }
  return fixes;
}

/** UTF-8 when the bytes are valid UTF-8 and read as Chinese (or GB18030 does not either); otherwise GB18030. */
export function decodeRawName(bytes: Uint8Array): string {
  let utf8: string | null;
  try {
    utf8 = utf8Strict.decode(bytes);
  } catch {
    utf8 = null;
  }
  const gb = gb18030.decode(bytes);
  if (utf8 === null) return gb;
  const cjkUtf8 = utf8.match(CJK)?.length ?? 0;
  const cjkGb = gb.includes('\ufffd') ? 0 : (gb.match(CJK)?.length ?? 0);
  return cjkUtf8 === 0 && cjkGb > 0 ? gb : utf8;
}
