/**
 * Two saved runs of the recognizer benchmark compared, figures side by side and page by
 * page: which pages a change made better (more ballots counted right without a person, or
 * read right), which worse, and which only changed their reasons for review.
 *
 *   npm run bench:recognize -- --no-pool --save before.json
 *   (change the recognizer)
 *   npm run bench:recognize -- --no-pool --save after.json
 *   npm run bench:compare -- before.json after.json
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { compareRuns, type SavedRun } from './bench/compare.js';

const program = new Command()
  .name('compare-runs')
  .argument('<before>', 'JSON written by bench:recognize --save')
  .argument('<after>', 'JSON written by bench:recognize --save')
  .option('--json', 'print the comparison as JSON')
  .parse();
const [beforePath, afterPath] = program.args as [string, string];
const load = (path: string): SavedRun => JSON.parse(readFileSync(path, 'utf8')) as SavedRun;
const a = load(beforePath);
const b = load(afterPath);
const cmp = compareRuns(a, b);

if (program.opts<{ json?: boolean }>().json) {
  console.log(JSON.stringify(cmp, null, 2));
} else {
  const show = (v: number | null, share: boolean): string =>
    v === null ? '-' : share ? `${(v * 100).toFixed(2)}%` : v.toFixed(0);
  console.log(`${'figure'.padEnd(16)}${a.recognizer.padStart(20)}${b.recognizer.padStart(20)}`);
  for (const f of cmp.figures)
    console.log(`${f.name.padEnd(16)}${show(f.a, f.share).padStart(20)}${show(f.b, f.share).padStart(20)}`);
  for (const change of ['better', 'worse', 'reasons'] as const) {
    const pages = cmp.pages.filter((p) => p.change === change);
    console.log(`\n${change === 'reasons' ? 'reasons only' : change}: ${pages.length} page(s)`);
    for (const p of pages) {
      console.log(`  ${p.file} p${p.page}`);
      console.log(`    before ${p.before}`);
      console.log(`    after  ${p.after}`);
    }
  }
  if (cmp.unmatched.length) console.log(`\nin one run only: ${cmp.unmatched.join(', ')}`);
}
