import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Election } from '../election/election.js';
import { ConfigError, loadElection } from '../election/load.js';
import { formatZodError } from '../election/schema.js';
import { type AppConfigFile, appConfigSchema } from './schema.js';

export interface AppConfig extends Omit<AppConfigFile, 'election' | 'dataDir' | 'db'> {
  readonly configPath: string | null;
  readonly election: Election;
  readonly electionPath: string;
  /** Absolute paths derived from the file. */
  readonly dataDir: string;
  readonly dbPath: string;
  readonly reportDir: string;
}

export const DEFAULT_CONFIG_PATH = 'config/ballot-inbox.json';

function resolveFrom(base: string, p: string): string {
  return isAbsolute(p) ? p : resolve(base, p);
}

/** Validate a parsed config object; `baseDir` anchors its relative paths. */
export function parseAppConfig(raw: unknown, baseDir: string, configPath: string | null): AppConfig {
  const parsed = appConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`${configPath ?? 'config'} is invalid:\n${formatZodError(parsed.error)}`);
  }
  const c = parsed.data;
  const electionPath = resolveFrom(baseDir, c.election);
  const election = loadElection(electionPath);
  const dataDir = resolveFrom(baseDir, c.dataDir);
  const source =
    c.source.type === 'folder' ? { ...c.source, path: resolveFrom(baseDir, c.source.path) } : c.source;
  if (source.type === 'imap' && source.secretFile)
    source.secretFile = resolveFrom(baseDir, source.secretFile);
  return {
    ...c,
    source,
    configPath,
    election,
    electionPath,
    dataDir,
    dbPath: c.db ? resolveFrom(baseDir, c.db) : join(dataDir, 'ballot-inbox.db'),
    reportDir: c.report.dir ? resolveFrom(baseDir, c.report.dir) : join(dataDir, 'reports'),
  };
}

export function loadAppConfig(
  path: string = process.env.BALLOT_INBOX_CONFIG ?? DEFAULT_CONFIG_PATH,
): AppConfig {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new ConfigError(`config file ${abs} does not exist (use --config FILE)`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(abs, 'utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ConfigError(`config file ${abs} is not valid JSON: ${(err as Error).message}`);
  }
  return parseAppConfig(raw, dirname(abs), abs);
}
