import { Command, CommanderError } from 'commander';
import { ConfigError } from '../election/load.js';
import { registerAudit } from './audit.js';
import { registerCommands } from './commands.js';
import { registerTally, UsageError } from './tally.js';

export function buildProgram(): Command {
  const program = new Command('ballot-inbox')
    .description('Counts paper ballots that arrive by e-mail.')
    .option(
      '-c, --config <file>',
      'service config file (default: $BALLOT_INBOX_CONFIG or config/ballot-inbox.json)',
    )
    .option('--db <file>', 'SQLite database (default: <dataDir>/ballot-inbox.db from the config)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug or trace')
    .showHelpAfterError()
    .exitOverride();
  registerTally(program);
  registerAudit(program);
  registerCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof ConfigError || err instanceof UsageError) {
      process.stderr.write(`ballot-inbox: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`ballot-inbox: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

const code = await main(process.argv);
process.exitCode = code;
