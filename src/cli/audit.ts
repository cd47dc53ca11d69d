import type { Command } from 'commander';
import { verifyAudit } from '../store/audit.js';
import { contextFor, printJson } from './context.js';

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('Inspect the append-only audit trail');
  audit
    .command('verify')
    .description(
      'Recompute the hash chain; print the head hash; exit 1 and name the first bad entry on any break',
    )
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const db = ctx.openDb();
      const result = verifyAudit(db);
      db.close();
      if (opts.json) printJson(result);
      else if (result.ok)
        process.stdout.write(`audit chain OK: ${result.entries} entries, head ${result.head}\n`);
      else
        process.stdout.write(
          `audit chain BROKEN at entry ${result.firstBad}: ${result.problem}\nlast good head ${result.head}\n`,
        );
      if (!result.ok) process.exitCode = 1;
    });
}
