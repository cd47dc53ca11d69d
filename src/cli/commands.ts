import type { Command } from 'commander';
import { registerReport } from './report.js';
import { registerReview } from './review.js';
import { registerUser } from './user.js';

/** Commands of the later stages register here (scan, ingest, run, reprocess, review, user, report). */
export function registerCommands(program: Command): void {
  registerReport(program);
  registerReview(program);
  registerUser(program);
}
