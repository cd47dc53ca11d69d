import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadElection, parseElection } from './load.js';

const raw = JSON.parse(readFileSync('config/election-2023.json', 'utf8')) as {
  election: { ballots: Record<string, unknown>[] } & Record<string, unknown>;
};
const configDir = resolve('config');
const clone = () => structuredClone(raw);

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('the 2023 election file', () => {
  const e = loadElection('config/election-2023.json');
  it('holds the 39 projects and 8 districts of the notice, 1–15 provincial', () => {
    const projects = e.ballots.find((b) => b.kind === 'projects')!;
    const districts = e.ballots.find((b) => b.kind === 'districts')!;
    expect(projects.items.map((i) => i.number)).toEqual(Array.from({ length: 39 }, (_, i) => i + 1));
    expect(projects.items.filter((i) => i.provincial).map((i) => i.number)).toEqual(
      Array.from({ length: 15 }, (_, i) => i + 1),
    );
    expect(projects.items[33]!.name).toBe('青少年儿童近视防控及视力筛查');
    expect(districts.items.map((i) => i.name)).toEqual([
      '临颍县',
      '舞阳县',
      '郾城区',
      '源汇区',
      '召陵区',
      '经济技术开发区',
      '市城乡一体化示范区',
      '西城区',
    ]);
    expect([projects.maxMarks, districts.maxMarks]).toEqual([10, 3]);
  });
  it('closes at the end of 2024-01-23 China time', () => {
    expect(e.closesAt.toISOString()).toBe('2024-01-23T16:00:00.000Z');
  });
  it('has a stable hash that changes when a rule changes', () => {
    const again = parseElection(clone(), configDir);
    expect(again.hash).toBe(e.hash);
    const changed = clone();
    changed.election.ballots[1]!.maxMarks = 2;
    expect(parseElection(changed, configDir).hash).not.toBe(e.hash);
  });
});

describe('a broken election file is refused with the key named', () => {
  it('a misspelt key', () => {
    const c = clone();
    c.election.ballots[0]!.maxMark = 10;
    expect(errorOf(() => parseElection(c, configDir))).toContain('election.ballots[0].maxMark: unknown key');
  });
  it('a limit of 0', () => {
    const c = clone();
    c.election.ballots[0]!.maxMarks = 0;
    expect(errorOf(() => parseElection(c, configDir))).toContain('election.ballots[0].maxMarks');
  });
  it('a limit above the number of items', () => {
    const c = clone();
    c.election.ballots[1]!.maxMarks = 9;
    expect(errorOf(() => parseElection(c, configDir))).toMatch(
      /election\.ballots\[1\]\.maxMarks: 9 is more than the 8 items/,
    );
  });
  it('an unknown time zone and an unreadable deadline', () => {
    const c = clone();
    c.election.timeZone = 'China/Luohe';
    expect(errorOf(() => parseElection(c, configDir))).toContain('election.timeZone');
    const d = clone();
    d.election.closesAt = '23 January';
    expect(errorOf(() => parseElection(d, configDir))).toContain('election.closesAt');
  });
  it('two ballots with one kind, and an item number used twice', () => {
    const c = clone();
    c.election.ballots[1]!.kind = 'projects';
    expect(errorOf(() => parseElection(c, configDir))).toContain('"projects" is used by two ballots');
    const d = clone();
    d.election.ballots[1]!.items = [
      { number: 1, name: 'A' },
      { number: 1, name: 'B' },
    ];
    expect(errorOf(() => parseElection(d, configDir))).toContain('item number 1 appears twice');
  });
  it('a seed file with a typo', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seed-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ items: [{ number: 1, nmae: 'x' }] }));
    const c = clone();
    c.election.ballots[1]!.items = join(dir, 'bad.json');
    const msg = errorOf(() => parseElection(c, configDir));
    expect(msg).toContain('nmae: unknown key');
  });
});

describe('next year: only a new config file', () => {
  it('loads an election with other kinds, items, limits and deadline', () => {
    const e = parseElection(
      {
        election: {
          id: 'next',
          title: '2024 评选',
          timeZone: 'Asia/Shanghai',
          closesAt: '2025-01-10T18:00',
          ballots: [
            {
              kind: 'parks',
              title: '公园选票',
              label: { zh: '公园', en: 'Parks' },
              items: [
                { number: 1, name: '甲公园' },
                { number: 2, name: '乙公园' },
              ],
              itemLabel: { zh: '公园', en: 'Park' },
              maxMarks: 1,
            },
          ],
        },
      },
      configDir,
    );
    expect(e.ballots[0]!.rules).toEqual({ underLimit: 'valid', blank: 'invalid', overLimit: 'invalid' });
    expect(e.closesAt.toISOString()).toBe('2025-01-10T10:00:00.000Z');
  });
});
