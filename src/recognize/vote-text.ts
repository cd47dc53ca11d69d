/**
 * What a typed vote cell says. √ ✓ ✔ ☑ (and their look-alikes) are marks. Letters v/V
 * are a common stand-in for √ on keyboards without the glyph, but the notice asks
 * for "√" and a v could also be a stray letter, so a person decides (uncertain).
 * x/X/×/✗ usually mean "no" in Chinese forms; counting them as votes would be wrong
 * and ignoring them could be too, so they also go to a person. Anything else in the
 * cell is unexplained ink: uncertain. An empty cell is unmarked. Pure.
 */
export type VoteText =
  | { readonly decision: 'marked' }
  | { readonly decision: 'unmarked' }
  | { readonly decision: 'uncertain'; readonly note: string };

const TICKS = /[√✓✔☑🗸✅]/u;
const CROSSES = /^[xX×✗✘☒]+$/u;

export function readVoteText(raw: string): VoteText {
  const s = raw.normalize('NFKC').replace(/\s+/gu, '');
  if (s === '') return { decision: 'unmarked' };
  if (TICKS.test(s)) {
    const rest = s.replace(new RegExp(TICKS.source, 'gu'), '');
    return rest === ''
      ? { decision: 'marked' }
      : { decision: 'uncertain', note: `tick with other text "${raw.trim()}"` };
  }
  if (/^[vV]+$/u.test(s)) return { decision: 'uncertain', note: 'letter v instead of √' };
  if (CROSSES.test(s)) return { decision: 'uncertain', note: 'cross instead of √' };
  return { decision: 'uncertain', note: `unexpected text "${raw.trim()}"` };
}

export function isTickText(raw: string): boolean {
  return TICKS.test(raw.normalize('NFKC'));
}
