/**
 * File names in 8-bit bytes with no declared charset (ZIP entries from Chinese Windows, raw mail
 * headers from old clients) are GBK as often as UTF-8. Trying UTF-8 first is not enough: GBK
 * 选票 = D1 A1 C6 B1 is also valid UTF-8, for "ѡƱ".
 */
const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const gb18030 = new TextDecoder('gb18030');
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/gu;

/** UTF-8 when the bytes are valid UTF-8 and read as Chinese (or GB18030 does not either); otherwise GB18030. */
export function decodeLegacyName(bytes: Uint8Array): string {
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
