/**
 * Generate ballot fixtures: rendered ballots degraded like real captures, with
 * a manifest.json of ground truth. Same seed → byte-identical output.
 *
 *   npx tsx scripts/make-fixtures.ts [--out DIR] [--count N] [--seed S]
 *
 * Defaults write the committed set (every axis at least once) to fixtures/recognize/.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { loadElection } from '../src/election/load.js';
import { DEFAULT_COUNT, generateFixtures } from './fixtures/generate.js';

export const DEFAULT_SEED = 'ballot-inbox-2023';

const program = new Command()
  .name('make-fixtures')
  .option('--out <dir>', 'output folder', 'fixtures/recognize')
  .option('--count <n>', 'number of files (the coverage set first, then random ones)', String(DEFAULT_COUNT))
  .option('--seed <s>', 'seed', DEFAULT_SEED)
  .option('--election <path>', 'election config', 'config/election-2023.json')
  .option('--quiet', 'do not list files')
  .option(
    '--part <k/n>',
    'render only files i with i % n == k and write manifest.part-k.json (for parallel runs)',
  )
  .parse();

const opts = program.opts<{
  out: string;
  count: string;
  seed: string;
  election: string;
  quiet?: boolean;
  part?: string;
}>();
const count = Number(opts.count);
if (!Number.isInteger(count) || count < 1) {
  console.error(`--count must be a positive integer, not ${opts.count}`);
  process.exit(2);
}
const part = opts.part ? /^(\d+)\/(\d+)$/.exec(opts.part) : null;
if (opts.part && (!part || Number(part[1]) >= Number(part[2]))) {
  console.error(`--part must look like 0/2, not ${opts.part}`);
  process.exit(2);
}
const election = loadElection(opts.election);
const t0 = performance.now();
const manifest = await generateFixtures({
  election,
  outDir: opts.out,
  seed: opts.seed,
  count,
  ...(part ? { only: (i: number) => i % Number(part[2]) === Number(part[1]) } : {}),
  ...(opts.quiet ? {} : { log: (line: string) => console.log(line) }),
});
const name = part ? `manifest.part-${part[1]}.json` : 'manifest.json';
await writeFile(join(opts.out, name), `${JSON.stringify(manifest, null, 2)}\n`);
const pages = manifest.files.reduce((n, f) => n + f.pages.length, 0);
console.log(
  `${manifest.files.length} files, ${pages} pages → ${opts.out} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
