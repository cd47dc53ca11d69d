import type { Command } from 'commander';

/** Commands of the later stages register here (scan, ingest, run, reprocess, review, user, report). */
export function registerCommands(_program: Command): void {}
