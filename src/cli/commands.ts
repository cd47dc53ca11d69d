import type { Command } from 'commander';
import { registerIngest } from './ingest.js';
import { registerReport } from './report.js';
import { registerReprocess } from './reprocess.js';
import { registerScan } from './scan.js';
import { registerReview } from './review.js';
import { registerRun } from './run.js';
import { registerUser } from './user.js';

/** The commands of the pipeline stages (tally and audit are registered in main.ts). */
export function registerCommands(program: Command): void {
  registerIngest(program);
  registerRun(program);
  registerReprocess(program);
  registerScan(program);
  registerReport(program);
  registerReview(program);
  registerUser(program);
}
