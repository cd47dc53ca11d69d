import type { Command } from 'commander';
import { type AppConfig, loadAppConfig } from '../config/load.js';
import { createLogger, type Logger, setRootLogger } from '../log/logger.js';
import { type Db, openDatabase } from '../store/db.js';

/** Options every command accepts (declared on the root program). */
export interface GlobalOptions {
  config?: string;
  db?: string;
  logLevel?: string;
}

export interface CliContext {
  readonly config: AppConfig;
  readonly logger: Logger;
  openDb(): Db;
}

/** Load config and logger for a command; the database opens on first use so commands that do not need it stay cheap. */
export function contextFor(cmd: Command): CliContext {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  const config = loadAppConfig(opts.config);
  const dbPath = opts.db ?? config.dbPath;
  const logger = createLogger({ level: opts.logLevel ?? config.log.level });
  setRootLogger(logger);
  let db: Db | null = null;
  return {
    config: { ...config, dbPath },
    logger,
    openDb: () => (db ??= openDatabase(dbPath)),
  };
}

/** Print machine output on stdout: one JSON document. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
