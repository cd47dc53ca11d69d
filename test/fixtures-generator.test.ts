import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { PDFParse } from 'pdf-parse';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ballotKind } from '../src/election/election.js';
import { loadElection } from '../src/election/load.js';
import { judgeConfirmed } from '../src/election/rules.js';
import { generateFixtures, recipesFor } from '../scripts/fixtures/generate.js';
import type { Recipe } from '../scripts/fixtures/plan.js';
import { scoreBallots, scorePage, summarize } from '../scripts/bench/score.js';
import {
  expectedVerdict,
  type BallotTruth,
  type FileTruth,
  type Manifest,
} from '../scripts/fixtures/truth.js';
import type { ReviewReason } from '../src/election/reasons.js';
import type { BallotReading } from '../src/recognize/reading.js';

const election = loadElection('config/election-2023.json');
const SEED = 'test-seed';
const COUNT = 120;

/** A handful of cheap files that still cross every capture and several formats. */
function pickIndices(): number[] {
  const recipes = recipesFor(election, SEED, COUNT);
  const want: ((r: Recipe) => boolean)[] = [
    (r) => r.capture === 'clean' && r.format === 'png' && r.sheet === 'both',
    (r) => r.capture === 'clean' && r.format === 'bmp',
    (r) => r.capture === 'scan' && r.format === 'tiff' && (r.pages?.length ?? 0) > 1,
    (r) => r.capture === 'photocopy' && r.format === 'png',
    (r) => r.capture === 'fax' && r.format === 'tiff',
    (r) => r.capture === 'photo' && r.megapixels === 2,
    (r) => r.pdf === 'form' && r.sheet === 'both',
    (r) => r.other === 'logo',
  ];
  return want.map((pred) => {
    const i = recipes.findIndex(pred);
    if (i < 0) throw new Error('the coverage list lost a recipe this test relies on');
    return i;
  });
}

const MAGIC: Record<FileTruth['format'], string> = {
  png: 'png',
  jpeg: 'jpg',
  tiff: 'tif',
  webp: 'webp',
  bmp: 'bmp',
  gif: 'gif',
  pdf: 'pdf',
};

async function pageCount(buf: Buffer, format: FileTruth['format']): Promise<number> {
  if (format === 'pdf') {
    const parser = new PDFParse({ data: new Uint8Array(buf) });
    try {
      return (await parser.getText()).total;
    } finally {
      await parser.destroy();
    }
  }
  if (format === 'bmp') return 1;
  return (await sharp(buf).metadata()).pages ?? 1;
}

function checkVerdicts(files: readonly FileTruth[]): void {
  for (const f of files) {
    for (const p of f.pages) {
      for (const b of p.ballots) {
        const kind = ballotKind(election, b.kind);
        expect(kind, `${f.file}: kind ${b.kind}`).toBeDefined();
        if (!kind) continue;
        expect([...b.marks].sort((x, y) => x - y)).toEqual(b.marks);
        for (const m of b.marks) expect(kind.items.some((i) => i.number === m)).toBe(true);
        if (b.reason === 'table_incomplete') {
          expect(f.tags).toContain('cut');
          expect(b.expect).toBe('review');
        } else if (b.reason === 'correction') {
          expect(b.expect).toBe('review');
          expect(b.corrected?.length ?? 0).toBeGreaterThan(0);
        } else {
          // Uncorrected, whole ballots: the service's own rules must agree with the truth.
          const v = judgeConfirmed(b.marks, kind);
          expect(b.expect, `${f.file} page ${p.page} ${b.kind} ${b.marks.join(',')}`).toBe(v.status);
          expect(b.reason).toBe(v.status === 'invalid' ? v.reason : null);
          if (b.marks.length === 0) expect(b.reason).toBe('blank');
          if (b.marks.length > kind.maxMarks) expect(b.reason).toBe('overvote');
        }
      }
    }
  }
}

describe('fixture generator', () => {
  const dirs: string[] = [];
  let first: Manifest;
  let second: Manifest;
  let indices: number[];

  beforeAll(async () => {
    indices = pickIndices();
    const only = (i: number): boolean => indices.includes(i);
    for (let run = 0; run < 2; run++) dirs.push(await mkdtemp(join(tmpdir(), 'fixtures-test-')));
    first = await generateFixtures({ election, outDir: dirs[0] as string, seed: SEED, count: COUNT, only });
    second = await generateFixtures({ election, outDir: dirs[1] as string, seed: SEED, count: COUNT, only });
  }, 300_000);

  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('gives a byte-identical manifest and files for the same seed', async () => {
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(first.files).toHaveLength(indices.length);
    for (const f of first.files) {
      const a = await readFile(join(dirs[0] as string, f.file));
      const b = await readFile(join(dirs[1] as string, f.file));
      expect(a.equals(b), `${f.file} differs between runs`).toBe(true);
    }
  });

  it('gives different ballots for a different seed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fixtures-test-'));
    dirs.push(dir);
    const i = indices[0] as number;
    const other = await generateFixtures({
      election,
      outDir: dir,
      seed: 'another-seed',
      count: COUNT,
      only: (k) => k === i,
    });
    const f = other.files[0] as FileTruth;
    const mine = first.files.find((x) => x.file === f.file) as FileTruth;
    const a = await readFile(join(dir, f.file));
    const b = await readFile(join(dirs[0] as string, mine.file));
    expect(a.equals(b)).toBe(false);
  });

  it('writes files whose format and page count match the manifest', async () => {
    for (const f of first.files) {
      const buf = await readFile(join(dirs[0] as string, f.file));
      const type = await fileTypeFromBuffer(buf);
      expect(type?.ext, f.file).toBe(MAGIC[f.format]);
      expect(await pageCount(buf, f.format), f.file).toBe(f.pages.length);
      f.pages.forEach((p, i) => expect(p.page).toBe(i + 1));
    }
  });

  it('marks follow the rules: blank and over the limit invalid, corrections and cut tables to review', () => {
    checkVerdicts(first.files);
  });

  it('stores 1-bit pixels for faxes and an EXIF orientation only where the manifest says so', async () => {
    for (const f of first.files) {
      if (f.format === 'pdf' || f.format === 'bmp') continue;
      const meta = await sharp(await readFile(join(dirs[0] as string, f.file))).metadata();
      if (f.capture === 'fax') expect(meta.bitsPerSample, f.file).toBe(1);
      expect((meta.orientation ?? 1) !== 1, f.file).toBe(f.tags.includes('exif'));
    }
  });

  it('puts a real text layer with the typed marks into electronically filled PDFs', async () => {
    const form = first.files.find((f) => f.tags.includes('text-layer'));
    expect(form).toBeDefined();
    if (!form) return;
    const parser = new PDFParse({ data: new Uint8Array(await readFile(join(dirs[0] as string, form.file))) });
    const text = await parser.getText();
    await parser.destroy();
    form.pages.forEach((p, i) => {
      const pageText = text.pages[i]?.text ?? '';
      for (const b of p.ballots) {
        const kind = ballotKind(election, b.kind);
        // Every item name is in the text layer, and one typed mark per marked item.
        for (const item of kind?.items ?? [])
          expect(pageText.replace(/\s+/g, '')).toContain(item.name.replace(/\s+/g, ''));
      }
      const ticks = [...pageText].filter((c) => c === '√' || c === '✓').length;
      // The printed note (请在…后面打“√”) has a √ of its own on each ballot that carries it.
      const instructions = pageText.split('“√”').length - 1;
      expect(ticks - instructions).toBe(p.ballots.reduce((n, b) => n + b.marks.length, 0));
    });
  });
});

describe('committed fixtures (fixtures/recognize)', () => {
  const dir = 'fixtures/recognize';
  const manifestPath = join(dir, 'manifest.json');
  const present = existsSync(manifestPath);

  it.runIf(present)('lists only files that exist, within the size budget', () => {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    let bytes = 0;
    for (const f of manifest.files) {
      expect(existsSync(join(dir, f.file)), f.file).toBe(true);
      bytes += statSync(join(dir, f.file)).size;
    }
    expect(bytes).toBeLessThan(16 * 1024 * 1024);
    checkVerdicts(manifest.files);
  });

  it.runIf(present)('covers every capture, format and tricky case at least once', () => {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    const captures = new Set(manifest.files.map((f) => f.capture));
    const formats = new Set(manifest.files.map((f) => f.format));
    const tags = new Set(manifest.files.flatMap((f) => f.tags));
    const layouts = new Set(manifest.files.map((f) => f.layout));
    expect([...captures].sort()).toEqual(['clean', 'fax', 'photo', 'photocopy', 'scan']);
    expect([...formats].sort()).toEqual(['bmp', 'gif', 'jpeg', 'pdf', 'png', 'tiff', 'webp']);
    for (const l of ['official', 'single-column', 'wide-vote', 'narrow-vote', 'compact', 'tall-rows'])
      expect(layouts).toContain(l);
    for (const t of [
      'rot90',
      'rot180',
      'rot270',
      'exif',
      'skew',
      'copy2',
      'hand',
      'shadow',
      'motion',
      'hi-dpi',
      'hi-mp',
      'pencil',
      'blue',
      'red',
      'typed',
      'spill',
      'stray',
      'correction',
      'blank',
      'one',
      'several',
      'limit',
      'over',
      'many',
      'multi',
      'both',
      'slip',
      'cut',
      'not-ballot',
      'multipage',
      'text-layer',
      'title-wrap',
      'hairline',
      'thick-lines',
    ]) {
      expect(tags, t).toContain(t);
    }
  });
});

describe('benchmark scoring', () => {
  const reading = (
    kind: string,
    marked: readonly number[],
    doubts: readonly ReviewReason[] = [],
    uncertain: readonly number[] = [],
  ): BallotReading => {
    const k = ballotKind(election, kind);
    if (!k) throw new Error(kind);
    return {
      kind,
      kindConfidence: 1,
      method: 'image',
      items: k.items.map((i) => ({
        number: i.number,
        score: marked.includes(i.number) ? 0.8 : 0,
        decision: marked.includes(i.number)
          ? ('marked' as const)
          : uncertain.includes(i.number)
            ? ('uncertain' as const)
            : ('unmarked' as const),
        box: null,
      })),
      confidence: 1,
      doubts,
      notes: [],
      region: null,
      image: null,
      evidence: {},
    };
  };
  const truth = (kind: string, marks: number[], expectV: BallotTruth['expect'] = 'valid'): BallotTruth => ({
    kind,
    marks,
    expect: expectV,
    reason: null,
  });

  it('counts a right reading as right and a wrong automatic one as auto-accepted wrong', () => {
    const right = scoreBallots(election, [truth('districts', [1, 5])], [reading('districts', [1, 5])]);
    expect(right[0]).toMatchObject({ match: 'matched', autoWrong: false, itemsRight: 8, itemsTotal: 8 });
    const wrong = scoreBallots(election, [truth('districts', [1, 5])], [reading('districts', [1, 6])]);
    expect(wrong[0]).toMatchObject({ match: 'matched', autoWrong: true, itemsRight: 6, itemsTotal: 8 });
  });

  it('does not count a ballot sent to review as wrong, but notes a review the machine skipped', () => {
    const reviewed = scoreBallots(
      election,
      [truth('districts', [1, 5])],
      [reading('districts', [2], ['marginal_mark'])],
    );
    expect(reviewed[0]).toMatchObject({ verdict: 'review', autoWrong: false, itemsTotal: 0 });
    const skipped = scoreBallots(election, [truth('districts', [1], 'review')], [reading('districts', [1])]);
    expect(skipped[0]).toMatchObject({ missedReview: true, autoWrong: false });
  });

  it('the truth of a corrected ballot is review unless its other marks are already over the limit', () => {
    const districts = ballotKind(election, 'districts')!;
    const flags = { corrected: true, incomplete: false };
    expect(expectedVerdict(districts, [1, 2], flags)).toEqual({ expect: 'review', reason: 'correction' });
    expect(expectedVerdict(districts, [1, 2, 3, 4], flags)).toEqual({
      expect: 'invalid',
      reason: 'overvote',
    });
  });

  it('an overvote voided by its definite marks is right only if the voter overvoted with those marks', () => {
    const unsure = ['marginal_mark'] as const;
    // Truth 5 marks, 4 read for sure and one left uncertain: invalid either way, and right.
    const right = scoreBallots(
      election,
      [truth('districts', [1, 2, 3, 4, 6], 'invalid')],
      [reading('districts', [1, 2, 3, 4], unsure, [6])],
    );
    expect(right[0]).toMatchObject({ verdict: 'invalid', autoWrong: false, itemsRight: 7, itemsTotal: 7 });
    // The voter marked 3: voiding the ballot is wrong.
    const notOver = scoreBallots(
      election,
      [truth('districts', [1, 2, 3])],
      [reading('districts', [1, 2, 3, 4], unsure, [6])],
    );
    expect(notOver[0]).toMatchObject({ verdict: 'invalid', autoWrong: true });
    // Over the limit, but one definite mark is not the voter's: wrong too.
    const falseMark = scoreBallots(
      election,
      [truth('districts', [1, 2, 3, 5, 6], 'invalid')],
      [reading('districts', [1, 2, 3, 7], unsure, [6])],
    );
    expect(falseMark[0]).toMatchObject({ verdict: 'invalid', autoWrong: true, itemsRight: 5, itemsTotal: 7 });
  });

  it('pairs ballots by kind and order; missing ones are errors and extra automatic ones are auto-wrong', () => {
    const s = scoreBallots(
      election,
      [truth('projects', [1]), truth('districts', [2]), truth('districts', [3])],
      [reading('districts', [2]), reading('districts', [3]), reading('districts', [4])],
    );
    expect(s.filter((b) => b.match === 'missing').map((b) => b.truthKind)).toEqual(['projects']);
    expect(s.filter((b) => b.match === 'extra')).toHaveLength(1);
    expect(s.filter((b) => b.autoWrong)).toHaveLength(1);
    const page = {
      file: 'x',
      page: 1,
      capture: 'scan',
      format: 'png',
      layout: 'official',
      tags: [],
      isBallotPage: true,
      toPerson: false,
      status: 'ballots',
      ballots: s,
      ms: 10,
    } as const;
    const f = summarize([page]);
    expect(f.kindAccuracy).toBeCloseTo(2 / 3);
    expect(f.missing).toBe(1);
    // Missed, and its page is not shown to anyone: lost unseen; on a page a person sees, it is not.
    expect(f.missingUnseen).toBe(1);
    expect(summarize([{ ...page, toPerson: true }]).missingUnseen).toBe(0);
    // A ballot read on the page goes to review: the person reviewing it sees the page.
    const reviewed = s.map((b) => (b.match === 'matched' ? { ...b, verdict: 'review' as const } : b));
    expect(summarize([{ ...page, ballots: reviewed }]).missingUnseen).toBe(0);
    expect(f.extra).toBe(1);
    expect(f.autoWrong).toBe(1);
    expect(f.markAccuracy).toBe(1);
  });
});

describe('benchmark scoring of a ballot page read as no ballot', () => {
  const file: FileTruth = {
    file: 'x.jpg',
    format: 'jpeg',
    capture: 'photo',
    layout: 'official',
    tags: [],
    pages: [{ page: 1, ballots: [{ kind: 'districts', marks: [1], expect: 'valid', reason: null }] }],
  };
  const page = (confidence: number) =>
    scorePage(election, file, file.pages[0]!, { status: 'not_a_ballot', confidence, notes: [] }, 5);

  it('counts its ballot missing, and lost unseen only when the page is not sent to a person', () => {
    const doubted = page(0.5);
    expect(doubted.toPerson).toBe(true);
    expect(summarize([doubted])).toMatchObject({ missing: 1, missingUnseen: 0 });
    const sure = page(0.95);
    expect(sure.toPerson).toBe(false);
    expect(summarize([sure])).toMatchObject({ missing: 1, missingUnseen: 1 });
  });
});

describe('benchmark scoring of several slips of one kind', () => {
  it('pairs same-kind ballots by best agreement when the reading lists them in the other order', () => {
    const k = ballotKind(election, 'districts');
    if (!k) throw new Error('districts');
    const read = (marked: number[]): BallotReading => ({
      kind: 'districts',
      kindConfidence: 1,
      method: 'image',
      items: k.items.map((i) => ({
        number: i.number,
        score: 0,
        decision: marked.includes(i.number) ? ('marked' as const) : ('unmarked' as const),
        box: null,
      })),
      confidence: 1,
      doubts: [],
      notes: [],
      region: null,
      image: null,
      evidence: {},
    });
    const t = (marks: number[]): BallotTruth => ({ kind: 'districts', marks, expect: 'valid', reason: null });
    const flipped = scoreBallots(election, [t([1]), t([2, 3])], [read([2, 3]), read([1])]);
    expect(flipped.every((b) => b.match === 'matched' && !b.autoWrong)).toBe(true);
    const wrong = scoreBallots(election, [t([1]), t([2, 3])], [read([2, 3]), read([4])]);
    expect(wrong.filter((b) => b.autoWrong)).toHaveLength(1);
    // One truth, two readings of that kind (another table misread as this kind): the
    // truth pairs with the reading that agrees, the other is the extra one.
    const oneOfTwo = scoreBallots(election, [t([2, 5])], [read([7]), read([2, 5])]);
    expect(oneOfTwo.find((b) => b.match === 'matched')).toMatchObject({ autoWrong: false });
    expect(oneOfTwo.filter((b) => b.match === 'extra')).toHaveLength(1);
    // Three slips, the first not found: the two readings pair with the slips they agree with.
    const twoOfThree = scoreBallots(
      election,
      [t([1, 4]), t([1, 2]), t([3, 8])],
      [read([1, 2]), read([3, 8])],
    );
    expect(twoOfThree.filter((b) => b.match === 'matched' && !b.autoWrong)).toHaveLength(2);
    expect(twoOfThree.filter((b) => b.match === 'missing')).toHaveLength(1);
    // More slips than a reading of them: the one reading pairs with the slip it agrees with.
    const oneOfTwoSlips = scoreBallots(election, [t([1]), t([4])], [read([4])]);
    expect(oneOfTwoSlips.find((b) => b.match === 'matched')).toMatchObject({ autoWrong: false });
  });
});
