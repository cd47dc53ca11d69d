import { describe, expect, it } from 'vitest';
import { loadElection } from '../election/load.js';
import type { TextItem } from '../extract/page.js';
import { normalizeCjk } from './cjk-normalize.js';
import { readTextLayer } from './read-text-layer.js';

const election = loadElection('config/election-2023.json');

/** A typed ballot as a PDF text layer: title, header, rows in two halves, ticks as glyphs. */
function layer(kind: string, ticks: number[], top = 50, radicals = false): TextItem[] {
  const b = election.ballots.find((k) => k.kind === kind)!;
  const half = Math.ceil(b.items.length / 2);
  const t = (str: string, x: number, y: number, width = 10): TextItem => ({ str, x, y, width, height: 10 });
  const items: TextItem[] = [
    t(radicals ? b.title.replace('民', '\u2EA0').replace('生', '\u2F63') : b.title, 100, top, 300),
  ];
  for (const x0 of [40, 300])
    items.push(
      t('序号', x0, top + 30, 20),
      t(b.itemLabel.zh, x0 + 60, top + 30, 80),
      t('投票', x0 + 200, top + 30, 20),
    );
  b.items.forEach((it, i) => {
    const x0 = i < half ? 40 : 300;
    const y = top + 50 + (i % half) * 20;
    items.push(t(String(it.number), x0 + 5, y), t(it.name, x0 + 60, y, 120));
    if (ticks.includes(it.number)) items.push(t('√', x0 + 205, y));
  });
  return items;
}

describe('readTextLayer', () => {
  it('reads typed ticks exactly, one ballot per table, top to bottom', () => {
    const items = [...layer('projects', [1, 21, 39]), ...layer('districts', [5], 600)];
    const r = readTextLayer({ width: 600, height: 900, items }, election);
    expect(r.ballots.map((b) => b.kind)).toEqual(['projects', 'districts']);
    expect(r.ballots[0]?.items.filter((i) => i.decision === 'marked').map((i) => i.number)).toEqual([
      1, 21, 39,
    ]);
    expect(r.ballots[1]?.items.filter((i) => i.decision === 'marked').map((i) => i.number)).toEqual([5]);
    expect(r.ballots.every((b) => b.method === 'pdf-text' && b.doubts.length === 0)).toBe(true);
    expect(r.ticks).toBe(4);
  });

  it('reports no ticks for a typed table whose ticks are handwritten (the raster must decide)', () => {
    const r = readTextLayer({ width: 600, height: 900, items: layer('districts', []) }, election);
    expect(r.ticks).toBe(0);
  });

  it('folds CJK radical look-alikes into their ideographs', () => {
    expect(normalizeCjk('\u2EA0\u2F63')).toBe('民生');
  });
});
