import { describe, expect, it } from 'vitest';
import { readVoteText } from './vote-text.js';

describe('readVoteText', () => {
  it('reads tick glyphs as marks', () => {
    for (const t of ['√', '✓', '✔', '☑', ' √ ']) expect(readVoteText(t)).toEqual({ decision: 'marked' });
  });
  it('reads an empty cell as unmarked', () => {
    expect(readVoteText('  ')).toEqual({ decision: 'unmarked' });
  });
  it('sends letters and crosses to a person', () => {
    expect(readVoteText('v').decision).toBe('uncertain');
    expect(readVoteText('X').decision).toBe('uncertain');
    expect(readVoteText('×').decision).toBe('uncertain');
    expect(readVoteText('好').decision).toBe('uncertain');
  });
});
