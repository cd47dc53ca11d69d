import type { Command } from 'commander';
import { parseZonedDateTime } from '../election/zoned-time.js';
import { computeTally } from '../store/tally.js';
import { contextFor, printJson } from './context.js';

export function registerTally(program: Command): void {
  program
    .command('tally')
    .description('Print the current count: votes per item, ballots by status, mails by outcome')
    .option('--json', 'print JSON (the format scripts depend on)')
    .option(
      '--at <datetime>',
      "count only what had arrived and been decided by then (the election's local time unless an offset is given)",
    )
    .action((opts: { json?: boolean; at?: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      // Read on the election's clock unless the text carries Z or an offset, as `report --at` does.
      const at = opts.at ? parseZonedDateTime(opts.at, ctx.config.election.timeZone) : undefined;
      if (at === null) throw new UsageError(`--at: "${opts.at}" is not a date-time like 2024-01-20T18:00`);
      const db = ctx.openDb();
      const tally = computeTally(db, ctx.config.election, at);
      db.close();
      if (opts.json) return printJson(tally);
      const { election } = ctx.config;
      const lines: string[] = [`${election.title}`];
      for (const b of election.ballots) {
        const t = tally[b.kind];
        if (!t) continue;
        lines.push('', `${b.label.zh} / ${b.label.en}`);
        lines.push(
          `  ballots: valid ${t.ballots.valid}, invalid ${t.ballots.invalid}, review ${t.ballots.review}` +
            `  (${Object.entries(t.invalid_by_reason)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')})`,
        );
        const ranked = [...b.items].sort(
          (x, y) =>
            (t.votes[String(y.number)] ?? 0) - (t.votes[String(x.number)] ?? 0) || x.number - y.number,
        );
        for (const it of ranked) {
          lines.push(
            `  ${String(t.votes[String(it.number)] ?? 0).padStart(6)}  ${String(it.number).padStart(2)}. ${it.provincial ? '*' : ''}${it.name}`,
          );
        }
      }
      const m = tally.mails;
      lines.push(
        '',
        `mails: received ${m.received}, late ${m.late}, duplicate ${m.duplicate}, without ballot ${m.without_ballot}, failed ${m.failed}`,
      );
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

export class UsageError extends Error {
  override name = 'UsageError';
}
