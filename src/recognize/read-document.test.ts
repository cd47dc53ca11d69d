import { describe, expect, it } from 'vitest';
import { loadElection } from '../election/load.js';
import { readDocument } from './read-document.js';

const election = loadElection('config/election-2023.json');
const districts = election.ballots.find((b) => b.kind === 'districts')!;

/** The districts ballot typed into a Word table, two halves side by side. */
function districtsRows(votes: Record<number, string>): string[][] {
  const rows: string[][] = [
    [districts.title],
    ['序号', '县区(功能区)', '投票', '序号', '县区(功能区)', '投票'],
  ];
  for (let r = 0; r < 4; r++) {
    const a = districts.items[r]!;
    const b = districts.items[r + 4]!;
    rows.push([
      String(a.number),
      a.name,
      votes[a.number] ?? '',
      String(b.number),
      b.name,
      votes[b.number] ?? '',
    ]);
  }
  rows.push(['备注:1.请在您满意的县区、功能区(1~8)后面打“√”,限选3项,多选无效。']);
  return rows;
}

describe('readDocument', () => {
  it('maps rows by serial number and reads tick glyphs as marks', () => {
    const [b] = readDocument(districtsRows({ 2: '√', 7: '✓' }), election);
    expect(b?.kind).toBe('districts');
    expect(b?.method).toBe('document');
    expect(b?.items.filter((i) => i.decision === 'marked').map((i) => i.number)).toEqual([2, 7]);
    expect(b?.doubts).toEqual([]);
  });

  it('sends a letter v or a cross to a person instead of guessing', () => {
    const [b] = readDocument(districtsRows({ 3: 'v', 5: '×' }), election);
    expect(b?.items.find((i) => i.number === 3)?.decision).toBe('uncertain');
    expect(b?.items.find((i) => i.number === 5)?.decision).toBe('uncertain');
    expect(b?.doubts).toContain('marginal_mark');
  });

  it('finds nothing in a document without the vote column', () => {
    expect(readDocument([['会议纪要'], ['一、', '二、']], election)).toEqual([]);
  });

  it('flags a serial number the ballot does not have', () => {
    const rows = districtsRows({ 1: '√' });
    rows[3]![0] = '9';
    const [b] = readDocument(rows, election);
    expect(b?.doubts).toContain('unknown_item');
  });
});
