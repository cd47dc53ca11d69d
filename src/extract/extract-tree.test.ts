import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { limitsSchema } from '../config/schema.js';
import { extractTree } from './extract-tree.js';

const FIX = join(import.meta.dirname, '..', '..', 'fixtures', 'mail-parts');
const fixture = (name: string): Buffer => readFileSync(join(FIX, name));
const limits = limitsSchema.parse({});

describe('extractTree', () => {
  it('opens archives inside archives and names every file by its place in the tree', async () => {
    const files = await extractTree(fixture('nested.zip'), 'ballots.zip', limits);
    const summary = files
      .map((f) => [f.name, f.depth, f.result.ok ? f.result.format : f.result.reason] as const)
      .sort((a, b) => a[0].localeCompare(b[0]));
    expect(summary).toEqual([
      ['ballots.zip/../escape.png', 1, 'png'],
      ['ballots.zip/ballot.jpg', 1, 'jpeg'],
      ['ballots.zip/inner.zip/ballot.png', 2, 'png'],
    ]);
  });

  it('records files nested deeper than maxNestingDepth instead of reading them', async () => {
    const files = await extractTree(fixture('nested.zip'), 'ballots.zip', { ...limits, maxNestingDepth: 1 });
    const deep = files.find((f) => f.name === 'ballots.zip/inner.zip/ballot.png');
    expect(deep?.result).toMatchObject({ ok: false, reason: 'too_many_parts' });
    expect(files.filter((f) => f.result.ok)).toHaveLength(2);
  });

  it('gives a plain attachment as a single file, and a bomb as a single failure', async () => {
    expect(await extractTree(fixture('ballot.png'), 'a.png', limits)).toMatchObject([
      { name: 'a.png', depth: 0, result: { ok: true, format: 'png' } },
    ]);
    expect(await extractTree(fixture('bomb.zip'), 'b.zip', limits)).toMatchObject([
      { name: 'b.zip', depth: 0, result: { ok: false, reason: 'decompression_bomb' } },
    ]);
  });
});
