import { decodeLegacyName } from '../extract/legacy-name.js';

/**
 * Raw 8-bit file names: some Chinese mail clients put GBK bytes straight into
 * `filename="…"` without RFC 2047/2231 encoding. mailparser reads such bytes as UTF-8, which gives
 * replacement characters or, worse, valid but wrong letters (GBK 选票 = D1 A1 C6 B1 is also valid
 * UTF-8 for "ѡƱ"). This scans the raw header bytes for such names and says what each one really
 * was, keyed by what mailparser will have made of it.
 */
const RAW_NAME =
  /\b(?:file)?name\s*=\s*(?:"([^"\r\n]*[\x80-\xff][^"\r\n]*)"|([^;\s"]*[\x80-\xff][^;\s"]*))/gi;

export function rawFilenameFixes(raw: Buffer): Map<string, string> {
  const fixes = new Map<string, string>();
  // Only the header blocks matter, but names are rare and short; one pass over the text is cheap.
  const text = raw.toString('latin1');
  for (const m of text.matchAll(RAW_NAME)) {
    const value = m[1] ?? m[2];
    if (!value) continue;
    const bytes = Buffer.from(value, 'latin1');
    const asMailparser = bytes.toString('utf8');
    const best = decodeLegacyName(bytes);
    if (best !== asMailparser) fixes.set(asMailparser, best);
  }
  return fixes;
}
