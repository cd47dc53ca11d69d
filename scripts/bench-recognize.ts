/**
 * Recognizer benchmark: generate (or reuse) a seeded fixture set, read every
 * page, and compare with the ground truth.
 *
 *   npm run bench:recognize -- [--count 420] [--seed S] [--out bench-out]
 *                              [--dir fixtures/recognize] [--limit N]
 *                              [--filter capture=photo] [--filter tag=exif]
 *                              [--workers 2] [--no-pool] [--json]
 *
 * Accuracy comes from one recognizer in a child process (so per-page times are
 * one core, and that process's peak RSS is the recognizer's own, not the
 * bench's); throughput from the worker pool, in this process, over the same
 * pages. Pages are extracted one file at a time just before they are read, and
 * only scores are kept, so the bench process's RSS is mostly the pool's.
 */
import { fork, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { Command } from 'commander';
import { limitsSchema } from '../src/config/schema.js';
import type { Election } from '../src/election/election.js';
import { loadElection } from '../src/election/load.js';
import { extractPages } from '../src/extract/extract.js';
import type { Page } from '../src/extract/page.js';
import { stopPdfReader } from '../src/extract/pdf.js';
import type { OcrUsage } from '../src/recognize/ocr.js';
import { createRecognizerPool } from '../src/recognize/pool.js';
import { RECOGNIZER_VERSION } from '../src/recognize/recognizer.js';
import type { PageReading } from '../src/recognize/reading.js';
import { ALLOCATOR_ENV } from '../src/worker/allocator.js';
import type { FromReader, ToReader } from './bench/one-core-reader.js';
import { scorePage, summarize, type Figures, type PageScore } from './bench/score.js';
import { savedPage } from './bench/compare.js';
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

/**
 * A fingerprint of the generator's code (scripts/fixtures; the scoring and the bench's
 * reader live in scripts/bench): a changed generator must not be benchmarked on a stale set.
 */
function generatorHash(): string {
  const h = createHash('sha256');
  const dir = 'scripts/fixtures';
  for (const f of readdirSync(dir).sort())
    if (f.endsWith('.ts') && !f.endsWith('.test.ts')) h.update(f).update(readFileSync(join(dir, f)));
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
}

/** One job per page of the truth (so a file that yields fewer pages is scored as missing pages), up to the limit. */
function jobsFor(files: readonly FileTruth[], limit: number): Job[] {
  return files.flatMap((file) => file.pages.map((_, pageIndex) => ({ file, pageIndex }))).slice(0, limit);
}

/**
 * Extract one file's pages the way the service does, just before they are read,
 * so the bench never holds more than one file's pages.
 */
async function extractFile(
  dir: string,
  file: FileTruth,
): Promise<{ pages: readonly Page[]; failure: null } | { pages: null; failure: string }> {
  const res = await extractPages(await readFile(join(dir, file.file)), file.file, limitsSchema.parse({}));
  return res.ok
    ? { pages: res.pages, failure: null }
    : { pages: null, failure: `extract: ${res.reason} ${res.detail}` };
}

/**
 * The one-core reader in a child process (scripts/bench/one-core-reader.ts):
 * pages go one at a time, readings come back without their images.
 */
interface OneCoreReader {
  readonly startupMs: number;
  readonly startupRssMb: number;
  read(n: number, page: Page): Promise<{ reading: PageReading; ms: number }>;
  /** Closes the recognizer and returns the child's peak RSS in MB and the OCR it did. */
  close(): Promise<{ peakRssMb: number; ocr: OcrUsage }>;
  /** Stops the child at once (the bench failed). */
  abort(): void;
}

/** The one-core reader's environment: glibc's malloc as production sets it (see ALLOCATOR_ENV), unless the caller's environment says otherwise. */
const READER_ENV: NodeJS.ProcessEnv = { ...ALLOCATOR_ENV, ...process.env };

/** The malloc settings the one-core reader runs with, for the printout. */
function allocatorLabel(): string {
  return Object.keys(ALLOCATOR_ENV)
    .map((k) => `${k}=${READER_ENV[k]}`)
    .join(' ');
}

async function startOneCoreReader(election: Election): Promise<OneCoreReader> {
  const child = fork('scripts/bench/one-core-reader.ts', [], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    env: READER_ENV,
    // Anything the recognizer's libraries print must not land in --json's stdout.
    stdio: ['ignore', opts.json ? 2 : 'inherit', 'inherit', 'ipc'],
  });
  let pending: { resolve: (m: FromReader) => void; reject: (e: Error) => void } | null = null;
  let exited: Error | null = null;
  child.on('message', (m: FromReader) => {
    const p = pending;
    pending = null;
    p?.resolve(m);
  });
  const exit = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      exited = new Error(`one-core reader exited (${signal ?? code})`);
      pending?.reject(exited);
      pending = null;
      resolve();
    }),
  );
  const ask = (msg: ToReader): Promise<FromReader> =>
    new Promise((resolve, reject) => {
      if (exited) return reject(exited);
      pending = { resolve, reject };
      child.send(msg);
    });
  const ready = await ask({ type: 'start', election });
  if (ready.type !== 'ready') throw new Error(`one-core reader: expected ready, got ${ready.type}`);
  return {
    startupMs: ready.startupMs,
    startupRssMb: ready.startupRssMb,
    async read(n, page) {
      const m = await ask({ type: 'page', n, page });
      if (m.type !== 'read' || m.n !== n)
        throw new Error(`one-core reader: expected page ${n}, got ${m.type}`);
      return { reading: m.reading, ms: m.ms };
    },
    async close() {
      const m = await ask({ type: 'done' });
      if (m.type !== 'closed') throw new Error(`one-core reader: expected closed, got ${m.type}`);
      // It exits by itself once the recognizer is closed; do not wait forever on a stray handle.
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
      return { peakRssMb: m.peakRssMb, ocr: m.ocr };
    },
    abort() {
      child.kill('SIGKILL');
    },
  };
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
  const jobs = jobsFor(files, limit);
  log(
    `${jobs.length} pages from ${new Set(jobs.map((j) => j.file.file)).size} files; recognizer ${RECOGNIZER_VERSION}`,
  );
  // The pool run reads the same pages again; they wait on disk rather than all in memory.
  const cacheDir = opts.pool ? await mkdtemp(join(tmpdir(), 'bench-recognize-')) : null;
  try {
    return await benchmark(election, dir, manifest, jobs, cacheDir);
  } finally {
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  }
}

async function benchmark(
  election: Election,
  dir: string,
  manifest: Manifest,
  jobs: readonly Job[],
  cacheDir: string | null,
): Promise<void> {
  // One core: one recognizer in a child process, pages one after another, each
  // extracted (here, in the parent) just before it is read.
  const single = await startOneCoreReader(election);
  const startupMs = single.startupMs;
  const scores: PageScore[] = [];
  /** Per job, the one-core reading without timings (as JSON) for the pool to match; null for a page never read. */
  const singleKeys: (string | null)[] = [];
  let rssRecognizerMb: number;
  let ocrUsage: OcrUsage;
  try {
    let current = null as { file: FileTruth; extracted: Awaited<ReturnType<typeof extractFile>> } | null;
    for (const [n, job] of jobs.entries()) {
      const truth = job.file.pages[job.pageIndex];
      if (!truth) throw new Error(`${job.file.file}: no truth for page ${job.pageIndex + 1}`);
      if (current?.file !== job.file)
        current = { file: job.file, extracted: await extractFile(dir, job.file) };
      const { pages, failure } = current.extracted;
      const page = pages?.[job.pageIndex];
      if (!page) {
        scores.push(
          scorePage(
            election,
            job.file,
            truth,
            failure !== null
              ? { status: 'extract_failed', detail: failure }
              : {
                  status: 'missing_page',
                  detail: `extract gave ${pages.length} pages, truth has ${job.file.pages.length}`,
                },
            null,
          ),
        );
        singleKeys.push(null);
        continue;
      }
      if (cacheDir) await writeFile(join(cacheDir, `${n}.bin`), serialize(page));
      const { reading, ms } = await single.read(n, page);
      // Only the score and the comparison key outlive this iteration.
      singleKeys.push(JSON.stringify(stripTimes(reading)));
      scores.push(scorePage(election, job.file, truth, reading, ms));
      if ((n + 1) % 25 === 0) log(`  ${n + 1}/${jobs.length} pages read`);
    }
    ({ peakRssMb: rssRecognizerMb, ocr: ocrUsage } = await single.close());
  } catch (err) {
    single.abort();
    throw err;
  } finally {
    // All pages are extracted; the PDF reader process would otherwise keep this script alive.
    stopPdfReader();
  }
  const rssSingleMb = process.resourceUsage().maxRSS / 1024;

  // Both cores: the pool the daemon uses, in this process, kept full of pages.
  let pool: {
    workers: number;
    startupMs: number;
    pagesPerMinute: number;
    disagreements: number;
    differing: string[];
  } | null = null;
  if (cacheDir) {
    const workers = Number(opts.workers);
    let t = performance.now();
    const p = await createRecognizerPool(election, { workers });
    const poolStartup = performance.now() - t;
    const withPages = singleKeys.flatMap((k, i) => (k === null ? [] : [i]));
    const differingAt: number[] = [];
    let next = 0;
    // As many pages in flight as the pool takes (its threads plus its default queue of 4 per thread), each
    // loaded from disk just before it is handed over; a reading is compared and dropped as it comes back.
    const feed = async (): Promise<void> => {
      for (let k = next++; k < withPages.length; k = next++) {
        const i = withPages[k] as number;
        const page = deserialize(await readFile(join(cacheDir, `${i}.bin`))) as Page;
        const r = await p.read(page);
        // The pool must read exactly what one thread reads; anything else is a bug worth seeing.
        if (JSON.stringify(stripTimes(r)) !== singleKeys[i]) differingAt.push(i);
      }
    };
    t = performance.now();
    await Promise.all(Array.from({ length: workers * 5 }, feed));
    const wall = performance.now() - t;
    await p.close();
    const differing = differingAt
      .sort((x, y) => x - y)
      .flatMap((i) => {
        const job = jobs[i];
        return job ? [`${job.file.file} p${job.pageIndex + 1}`] : [];
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

  // Where the one-core time goes: the serial-number OCR's share of the pages' time (the
  // rest is decoding, table search and reading in JS).
  const pagesMs = scores.reduce((t, s) => t + (s.ms ?? 0), 0);
  /** Serial-number OCR in the one-core run: calls, time, and its share of the pages' time. */
  const ocr = {
    calls: ocrUsage.calls,
    ms: Math.round(ocrUsage.ms),
    msPerCall: ocrUsage.calls ? ocrUsage.ms / ocrUsage.calls : null,
    failures: ocrUsage.failures,
    shareOfTime: pagesMs ? ocrUsage.ms / pagesMs : null,
  };
  const figures = {
    recognizer: RECOGNIZER_VERSION,
    seed: manifest.seed,
    filters: opts.filter,
    overall,
    startupMs,
    ocr,
    pool,
    /** Peak RSS of the one-core reader's own process: the recognizer reading one page at a time. */
    recognizerPeakRssMb: rssRecognizerMb,
    /** RSS of that process once the recognizer has started, before the first page. */
    recognizerStartupRssMb: single.startupRssMb,
    /** Peak RSS of the bench process (extraction, scoring, pool threads), after the one-core run and at the end. */
    rssSingleMb,
    peakRssMb,
    byCapture,
    byFormat,
    byTag,
    /** Every page in short, so two runs can be compared page by page. */
    pages: scores.map(savedPage),
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
  console.log(
    `missing ballots unseen        ${o.missingUnseen} of ${o.missing} (on pages no person looks at)`,
  );
  console.log(`verdict = expected            ${pct(o.verdictAccuracy)}`);
  console.log(
    `not-a-ballot accuracy         ${pct(o.notBallotAccuracy)}; ballot pages called not-a-ballot: ${o.ballotPagesCalledNotBallot}; unreadable ${o.unreadable}`,
  );
  console.log(
    `ms per page, one core         median ${o.medianMs?.toFixed(0) ?? '–'}, p95 ${o.p95Ms?.toFixed(0) ?? '–'} (recognizer start-up ${startupMs.toFixed(0)} ms)`,
  );
  console.log(
    `OCR of serials, one core      ${pct(ocr.shareOfTime)} of the pages' time (${ocr.calls} calls, ${ocr.msPerCall?.toFixed(1) ?? '–'} ms each, ${ocr.failures} failed)`,
  );
  if (pool) {
    console.log(
      `pages per minute, ${pool.workers} workers  ${pool.pagesPerMinute.toFixed(1)} (pool start-up ${pool.startupMs.toFixed(0)} ms; readings differing from one thread: ${pool.disagreements})`,
    );
  }
  console.log(
    `peak RSS (recognizer, one core) ${rssRecognizerMb.toFixed(0)} MB (its own process, one page at a time, ${allocatorLabel()}; ${single.startupRssMb.toFixed(0)} MB after start-up)`,
  );
  console.log(
    `peak RSS (bench process)      ${peakRssMb.toFixed(0)} MB (extraction and scoring${pool ? `, ${pool.workers} pool threads` : ''}; ${rssSingleMb.toFixed(0)} MB after the one-core run)`,
  );
  // Why ballots went to review: each reason counted once per ballot carrying it.
  const reasons = new Map<string, number>();
  for (const b of scores.flatMap((p) => p.ballots)) {
    if (b.verdict !== 'review') continue;
    for (const d of b.doubts.length ? b.doubts : ['(rules: no doubt from the reader)'])
      reasons.set(d, (reasons.get(d) ?? 0) + 1);
  }
  console.log(
    `review reasons                ${
      [...reasons]
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || '–'
    }`,
  );
  // Review that was caution rather than need: the best reading was already right.
  const reviewed = scores.flatMap((p) => p.ballots).filter((b) => b.verdict === 'review');
  const rightAnyway = reviewed.filter((b) => b.readingRight && b.expect !== 'review').length;
  console.log(
    `review, reading already right ${rightAnyway} of ${reviewed.length} (a person would only confirm it)`,
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
