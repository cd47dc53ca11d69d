/**
 * Recognizer benchmark: generate (or reuse) a seeded fixture set, read every
 * page, and compare with the ground truth.
 *
 *   npm run bench:recognize -- [--count 420] [--seed S] [--out bench-out]
 *                              [--dir fixtures/recognize] [--limit N]
 *                              [--filter capture=photo] [--filter tag=exif]
 *                              [--workers 2] [--no-pool] [--json]
 *
 * Accuracy comes from one recognizer in this thread (so per-page times are one
 * core); throughput from the worker pool over the same pages.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { limitsSchema } from '../src/config/schema.js';
import type { Election } from '../src/election/election.js';
import { loadElection } from '../src/election/load.js';
import { extractPages } from '../src/extract/extract.js';
import type { Page } from '../src/extract/page.js';
import { stopPdfReader } from '../src/extract/pdf.js';
import { createRecognizerPool } from '../src/recognize/pool.js';
import { createRecognizer, RECOGNIZER_VERSION } from '../src/recognize/recognizer.js';
import type { PageReading } from '../src/recognize/reading.js';
import { scorePage, summarize, type Figures, type PageScore } from './fixtures/score.js';
import type { FileTruth, Manifest } from './fixtures/truth.js';

const collect = (v: string, prev: string[]): string[] => [...prev, v];
const program = new Command()
  .name('bench-recognize')
  .option('--count <n>', 'files to generate (coverage set first, then random)', '420')
  .option('--seed <s>', 'seed of the generated set', 'bench-2023')
  .option('--out <dir>', 'where the generated set lives (git-ignored)', 'bench-out')
  .option('--dir <dir>', 'use an existing fixture folder (with manifest.json) instead of generating')
  .option('--limit <n>', 'read only the first N pages after filtering')
  .option(
    '--filter <key=value>',
    'keep files with capture=, format=, layout= or tag= (repeatable)',
    collect,
    [] as string[],
  )
  .option('--workers <n>', 'pool threads for the throughput run', '2')
  .option('--no-pool', 'skip the throughput run')
  .option('--regen', 'regenerate even if the set matches')
  .option('--json', 'print the figures as JSON')
  .option('--save <file>', 'also write the figures as JSON to this file')
  .option('--failures <n>', 'list up to N wrong pages', '15')
  .parse();

const opts = program.opts<{
  count: string;
  seed: string;
  out: string;
  dir?: string;
  limit?: string;
  filter: string[];
  workers: string;
  pool: boolean;
  regen?: boolean;
  json?: boolean;
  save?: string;
  failures: string;
}>();

const log = (line: string): void => {
  // With --json, stdout carries only the JSON.
  if (opts.json) process.stderr.write(`${line}\n`);
  else console.log(line);
};

/** A fingerprint of the generator's code (not the scoring): a changed generator must not be benchmarked on a stale set. */
function generatorHash(): string {
  const h = createHash('sha256');
  const dir = 'scripts/fixtures';
  for (const f of readdirSync(dir).sort())
    if (f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'score.ts')
      h.update(f).update(readFileSync(join(dir, f)));
  h.update(readFileSync('scripts/make-fixtures.ts'));
  return h.digest('hex').slice(0, 16);
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`)),
    );
    child.on('error', reject);
  });
}

/** Generate the set with two processes (one per core), then merge their manifests in file order. */
async function ensureSet(): Promise<{ dir: string; manifest: Manifest }> {
  if (opts.dir)
    return {
      dir: opts.dir,
      manifest: JSON.parse(await readFile(join(opts.dir, 'manifest.json'), 'utf8')) as Manifest,
    };
  const dir = opts.out;
  const stamp = { seed: opts.seed, count: Number(opts.count), generator: generatorHash() };
  const stampPath = join(dir, 'bench-set.json');
  if (!opts.regen && existsSync(stampPath) && existsSync(join(dir, 'manifest.json'))) {
    const old = JSON.parse(await readFile(stampPath, 'utf8')) as typeof stamp;
    if (old.seed === stamp.seed && old.count === stamp.count && old.generator === stamp.generator) {
      log(`reusing ${dir} (seed ${stamp.seed}, ${stamp.count} files)`);
      return { dir, manifest: JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest };
    }
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const parts = 2;
  const t0 = performance.now();
  log(`generating ${stamp.count} files into ${dir} with seed ${stamp.seed} (${parts} processes)…`);
  await Promise.all(
    Array.from({ length: parts }, (_, k) =>
      run(process.execPath, [
        '--import',
        'tsx',
        'scripts/make-fixtures.ts',
        '--out',
        dir,
        '--count',
        String(stamp.count),
        '--seed',
        stamp.seed,
        '--quiet',
        '--part',
        `${k}/${parts}`,
      ]),
    ),
  );
  const files: FileTruth[] = [];
  for (let k = 0; k < parts; k++) {
    const part = JSON.parse(await readFile(join(dir, `manifest.part-${k}.json`), 'utf8')) as Manifest;
    files.push(...part.files);
  }
  files.sort((a, b) => a.file.localeCompare(b.file));
  const manifest: Manifest = { seed: stamp.seed, generatedBy: 'scripts/make-fixtures.ts', files };
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(stampPath, `${JSON.stringify(stamp)}\n`);
  log(`generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return { dir, manifest };
}

function keep(f: FileTruth, filters: readonly string[]): boolean {
  return filters.every((flt) => {
    const [key, value] = flt.split('=') as [string, string | undefined];
    switch (key) {
      case 'capture':
        return f.capture === value;
      case 'format':
        return f.format === value;
      case 'layout':
        return f.layout === value;
      case 'tag':
        return value !== undefined && f.tags.includes(value);
      case 'file':
        return value !== undefined && f.file.includes(value);
      default:
        throw new Error(`unknown filter ${flt}: use capture=, format=, layout=, tag= or file=`);
    }
  });
}

interface Job {
  readonly file: FileTruth;
  readonly pageIndex: number;
  readonly page: Page | null;
  readonly failure: string | null;
}

/** Extract pages the way the service does; a file that yields fewer pages than the truth is scored as missing pages. */
async function jobsFor(dir: string, files: readonly FileTruth[], limit: number): Promise<Job[]> {
  const limits = limitsSchema.parse({});
  const jobs: Job[] = [];
  for (const file of files) {
    if (jobs.length >= limit) break;
    const data = await readFile(join(dir, file.file));
    const res = await extractPages(data, file.file, limits);
    file.pages.forEach((_, i) => {
      if (!res.ok)
        jobs.push({ file, pageIndex: i, page: null, failure: `extract: ${res.reason} ${res.detail}` });
      else {
        const page = res.pages[i];
        jobs.push({
          file,
          pageIndex: i,
          page: page ?? null,
          failure: page ? null : `extract gave ${res.pages.length} pages, truth has ${file.pages.length}`,
        });
      }
    });
  }
  return jobs.slice(0, limit);
}

function pct(v: number | null): string {
  return v === null ? '–' : `${(v * 100).toFixed(1)}%`;
}

function row(label: string, f: Figures): string {
  return [
    label.padEnd(16),
    String(f.pages).padStart(5),
    pct(f.markAccuracy).padStart(8),
    `${f.autoWrong}/${f.autoDecided}`.padStart(9),
    pct(f.reviewRate).padStart(7),
    pct(f.kindAccuracy).padStart(7),
    (f.notBallotPages ? pct(f.notBallotAccuracy) : '–').padStart(7),
    String(f.missing).padStart(5),
    String(f.extra).padStart(5),
    String(f.unreadable).padStart(5),
    pct(f.verdictAccuracy).padStart(8),
    (f.medianMs === null ? '–' : f.medianMs.toFixed(0)).padStart(7),
    (f.p95Ms === null ? '–' : f.p95Ms.toFixed(0)).padStart(7),
  ].join(' ');
}

const HEADER = [
  ''.padEnd(16),
  'pages'.padStart(5),
  'markAcc'.padStart(8),
  'autoWrong'.padStart(9),
  'review'.padStart(7),
  'kind'.padStart(7),
  'notBal'.padStart(7),
  'miss'.padStart(5),
  'extra'.padStart(5),
  'unrd'.padStart(5),
  'verdict'.padStart(8),
  'med ms'.padStart(7),
  'p95 ms'.padStart(7),
].join(' ');

function breakdown(
  scores: readonly PageScore[],
  keyOf: (s: PageScore) => readonly string[],
): Record<string, Figures> {
  const groups = new Map<string, PageScore[]>();
  for (const s of scores) for (const k of keyOf(s)) groups.set(k, [...(groups.get(k) ?? []), s]);
  return Object.fromEntries(
    [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, summarize(v)]),
  );
}

async function main(): Promise<void> {
  const election: Election = loadElection('config/election-2023.json');
  const { dir, manifest } = await ensureSet();
  const files = manifest.files.filter((f) => keep(f, opts.filter));
  const limit = opts.limit ? Number(opts.limit) : Number.POSITIVE_INFINITY;
  const jobs = await jobsFor(dir, files, limit);
  // All pages are extracted up front; the PDF reader process would otherwise keep this script alive.
  stopPdfReader();
  log(
    `${jobs.length} pages from ${new Set(jobs.map((j) => j.file.file)).size} files; recognizer ${RECOGNIZER_VERSION}`,
  );

  // One core: a recognizer in this thread, pages one after another.
  let t = performance.now();
  const single = await createRecognizer(election);
  const startupMs = performance.now() - t;
  const scores: PageScore[] = [];
  const readings: (PageReading | null)[] = [];
  for (const [n, job] of jobs.entries()) {
    const truth = job.file.pages[job.pageIndex];
    if (!truth) throw new Error(`${job.file.file}: no truth for page ${job.pageIndex + 1}`);
    if (!job.page) {
      scores.push(
        scorePage(
          election,
          job.file,
          truth,
          {
            status: job.failure?.startsWith('extract:') ? 'extract_failed' : 'missing_page',
            detail: job.failure ?? '',
          },
          null,
        ),
      );
      readings.push(null);
      continue;
    }
    t = performance.now();
    const reading = await single.read(job.page);
    const ms = performance.now() - t;
    readings.push(reading);
    scores.push(scorePage(election, job.file, truth, reading, ms));
    if ((n + 1) % 25 === 0) log(`  ${n + 1}/${jobs.length} pages read`);
  }
  await single.close();
  const rssSingleMb = process.resourceUsage().maxRSS / 1024;

  // Both cores: the pool the daemon uses, all pages in flight.
  let pool: {
    workers: number;
    startupMs: number;
    pagesPerMinute: number;
    disagreements: number;
    differing: string[];
  } | null = null;
  if (opts.pool) {
    const workers = Number(opts.workers);
    t = performance.now();
    const p = await createRecognizerPool(election, { workers });
    const poolStartup = performance.now() - t;
    const withPages = jobs.map((j, i) => ({ j, i })).filter((x) => x.j.page);
    t = performance.now();
    const results = await Promise.all(withPages.map((x) => p.read(x.j.page as Page)));
    const wall = performance.now() - t;
    await p.close();
    // The pool must read exactly what one thread reads; anything else is a bug worth seeing.
    const differing = results.flatMap((r, k) => {
      const job = withPages[k];
      if (!job) return [];
      const same = JSON.stringify(stripTimes(r)) === JSON.stringify(stripTimes(readings[job.i] ?? null));
      return same ? [] : [`${job.j.file.file} p${job.j.pageIndex + 1}`];
    });
    pool = {
      workers,
      startupMs: poolStartup,
      pagesPerMinute: (withPages.length / wall) * 60_000,
      disagreements: differing.length,
      differing,
    };
  }
  const peakRssMb = process.resourceUsage().maxRSS / 1024;

  const overall = summarize(scores);
  const byCapture = breakdown(scores, (s) => [s.capture]);
  const byTag = breakdown(scores, (s) => s.tags);
  const byFormat = breakdown(scores, (s) => [s.format]);
  const wrong = scores.filter(
    (s) =>
      s.ballots.some((b) => b.autoWrong || b.match !== 'matched') ||
      (!s.isBallotPage && s.status !== 'not_a_ballot'),
  );

  const figures = {
    recognizer: RECOGNIZER_VERSION,
    seed: manifest.seed,
    filters: opts.filter,
    overall,
    startupMs,
    pool,
    rssSingleMb,
    peakRssMb,
    byCapture,
    byFormat,
    byTag,
    wrong: wrong.map((s) => ({
      file: s.file,
      page: s.page,
      status: s.status,
      ballots: s.ballots,
      detail: s.detail,
    })),
  };
  if (opts.save) await writeFile(opts.save, `${JSON.stringify(figures, null, 2)}\n`);
  if (opts.json) {
    console.log(JSON.stringify(figures, null, 2));
    return;
  }
  const o = overall;
  console.log('');
  console.log(`recognizer ${RECOGNIZER_VERSION}, set ${dir} (seed ${manifest.seed})`);
  console.log(
    `pages                         ${o.pages} (${o.ballotPages} with ballots, ${o.truthBallots} ballots; ${o.notBallotPages} not ballots)`,
  );
  console.log(`per-mark accuracy (auto)      ${pct(o.markAccuracy)}`);
  console.log(
    `auto-accepted wrong           ${o.autoWrong} of ${o.autoDecided} auto-decided ballots (target 0)`,
  );
  console.log(`expected review, auto-decided ${o.missedReview}`);
  console.log(`review rate                   ${pct(o.reviewRate)}`);
  console.log(
    `kind accuracy                 ${pct(o.kindAccuracy)} (missing ${o.missing}, extra ${o.extra})`,
  );
  console.log(`verdict = expected            ${pct(o.verdictAccuracy)}`);
  console.log(
    `not-a-ballot accuracy         ${pct(o.notBallotAccuracy)}; ballot pages called not-a-ballot: ${o.ballotPagesCalledNotBallot}; unreadable ${o.unreadable}`,
  );
  console.log(
    `ms per page, one core         median ${o.medianMs?.toFixed(0) ?? '–'}, p95 ${o.p95Ms?.toFixed(0) ?? '–'} (recognizer start-up ${startupMs.toFixed(0)} ms)`,
  );
  if (pool) {
    console.log(
      `pages per minute, ${pool.workers} workers  ${pool.pagesPerMinute.toFixed(1)} (pool start-up ${pool.startupMs.toFixed(0)} ms; readings differing from one thread: ${pool.disagreements})`,
    );
  }
  console.log(
    `peak RSS                      ${peakRssMb.toFixed(0)} MB (${rssSingleMb.toFixed(0)} MB after the one-core run)`,
  );
  console.log('');
  console.log(HEADER);
  console.log(row('all', overall));
  console.log('— per capture');
  for (const [k, f] of Object.entries(byCapture)) console.log(row(k, f));
  console.log('— per format');
  for (const [k, f] of Object.entries(byFormat)) console.log(row(k, f));
  console.log('— per tag');
  for (const [k, f] of Object.entries(byTag)) console.log(row(k, f));
  if (pool && pool.differing.length > 0) {
    console.log('');
    console.log(
      `pages the pool read differently from one thread (${pool.differing.length}): ${pool.differing.slice(0, 20).join(', ')}`,
    );
  }
  const n = Number(opts.failures);
  if (wrong.length > 0 && n > 0) {
    console.log('');
    console.log(`wrong or missed pages (${wrong.length}, first ${Math.min(n, wrong.length)}):`);
    for (const s of wrong.slice(0, n)) {
      const what = s.ballots
        .filter((b) => b.autoWrong || b.match !== 'matched')
        .map(
          (b) =>
            `${b.match}${b.truthKind ? ` ${b.truthKind}` : ''}${b.readKind && b.readKind !== b.truthKind ? `→${b.readKind}` : ''}${b.autoWrong ? ' AUTO-WRONG' : ''}`,
        )
        .join(', ');
      console.log(
        `  ${s.file} p${s.page}: ${s.status}${what ? ` — ${what}` : ''}${s.detail ? ` (${s.detail.slice(0, 120)})` : ''}`,
      );
    }
  }
}

/** Timings inside evidence differ run to run; compare readings without them. */
function stripTimes(r: PageReading | null): unknown {
  if (!r || r.status !== 'ballots') return r;
  return r.ballots.map((b) => ({
    kind: b.kind,
    items: b.items.map((i) => [i.number, i.decision]),
    doubts: b.doubts,
  }));
}

await main();
