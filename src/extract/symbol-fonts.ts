/**
 * Word's Insert Symbol stores a check mark as a code point in a symbol font (w:sym, or a run in
 * Wingdings with an ordinary letter). Mapped to the Unicode character people meant, so the
 * recognizer sees one vocabulary of marks whatever way it was typed.
 */
const SYMBOL_FONT_CHARS: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  wingdings: { 0xfc: '✓', 0xfe: '☑', 0xfb: '✗', 0xfd: '☒', 0xa8: '□', 0x6f: '□' },
  'wingdings 2': { 0x50: '✓', 0x52: '☑', 0x4f: '✗', 0x51: '☒', 0xa3: '□' },
  symbol: { 0xd6: '√' },
};

/** The Unicode mark for `code` in `font`, or U+FFFD so that an unknown symbol is still seen as "something is there". */
export function symbolChar(font: string, code: number): string {
  const table = SYMBOL_FONT_CHARS[font.trim().toLowerCase()];
  // Symbol fonts live in the private-use range F000–F0FF; the low byte is the glyph.
  const glyph = code >= 0xf000 && code <= 0xf0ff ? code - 0xf000 : code;
  return table?.[glyph] ?? '\uFFFD';
}

export function isSymbolFont(font: string): boolean {
  return Object.prototype.hasOwnProperty.call(SYMBOL_FONT_CHARS, font.trim().toLowerCase());
}
