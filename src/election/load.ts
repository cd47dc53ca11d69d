import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { BallotKind, Election, Item } from './election.js';
import { electionFileSchema, formatZodError, seedFileSchema } from './schema.js';
import { parseZonedDateTime } from './zoned-time.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`${what} ${path} cannot be read: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ConfigError(`${what} ${path} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Stable JSON (sorted keys) so the election hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Validate a parsed election file. `baseDir` resolves seed paths. Throws ConfigError naming the bad key. */
export function parseElection(raw: unknown, baseDir: string, source = 'election'): Election {
  const parsed = electionFileSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`${source} is invalid:\n${formatZodError(parsed.error)}`);
  const e = parsed.data.election;
  const problems: string[] = [];

  const closesAt = parseZonedDateTime(e.closesAt, e.timeZone);
  if (!closesAt)
    problems.push(`election.closesAt: "${e.closesAt}" is not a date-time like 2024-01-23T24:00:00`);

  const kinds = new Set<string>();
  const ballots: BallotKind[] = e.ballots.map((b, i) => {
    const at = `election.ballots[${i}]`;
    if (kinds.has(b.kind)) problems.push(`${at}.kind: "${b.kind}" is used by two ballots`);
    kinds.add(b.kind);
    let rawItems: unknown = b.items;
    if (typeof b.items === 'string') {
      const seedPath = resolve(baseDir, b.items);
      const seed = seedFileSchema.safeParse(readJson(seedPath, `seed file for ${at}.items`));
      if (!seed.success) {
        problems.push(formatZodError(seed.error, `${at}.items (${b.items})`));
        rawItems = [];
      } else rawItems = seed.data.items;
    }
    const items: Item[] = (
      rawItems as { number: number; name: string; provincial?: boolean | undefined }[]
    ).map((it) => ({ number: it.number, name: it.name, provincial: it.provincial ?? false }));
    const seen = new Set<number>();
    for (const it of items) {
      if (seen.has(it.number)) problems.push(`${at}.items: item number ${it.number} appears twice`);
      seen.add(it.number);
    }
    if (items.length > 0 && b.maxMarks > items.length) {
      problems.push(`${at}.maxMarks: ${b.maxMarks} is more than the ${items.length} items on this ballot`);
    }
    const sorted = [...items].sort((a, c) => a.number - c.number);
    return {
      kind: b.kind,
      title: b.title,
      label: b.label,
      items: sorted,
      itemLabel: b.itemLabel,
      markedLabel: b.markedLabel,
      maxMarks: b.maxMarks,
      rules: b.rules,
      highlightTop: b.highlightTop ?? b.maxMarks,
    };
  });
  if (problems.length > 0) throw new ConfigError(`${source} is invalid:\n${problems.join('\n')}`);

  const body = {
    id: e.id,
    title: e.title,
    organizer: e.organizer ?? null,
    timeZone: e.timeZone,
    closesAt: closesAt as Date,
    closesAtText: e.closesAt,
    mailbox: e.mailbox ?? null,
    ballots,
  };
  const hash = createHash('sha256').update(canonicalJson(body)).digest('hex');
  return { ...body, hash };
}

export function loadElection(path: string): Election {
  const abs = resolve(path);
  return parseElection(readJson(abs, 'election file'), dirname(abs), abs);
}
