import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatLocal } from '../election/zoned-time.js';
import { appendAudit } from '../store/audit.js';
import type { Db } from '../store/db.js';
import type { RenderedFile } from './render.js';
import type { ReportData } from './report-data.js';

export interface ReportFile {
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface WrittenReport {
  /** Absolute path of the report's folder. */
  readonly dir: string;
  /** Folder name, e.g. 2024-01-20T0200 (the report's moment on the election's wall clock). */
  readonly name: string;
  /** The rendered files and manifest.json, with their hashes (SHA256SUMS lists the same). */
  readonly files: readonly ReportFile[];
  readonly manifestSha256: string;
  /** The 'report.written' audit entry. */
  readonly audit: { readonly seq: number; readonly hash: string };
}

export const MANIFEST_NAME = 'manifest.json';
export const SUMS_NAME = 'SHA256SUMS';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** 2024-01-20T0200 on the election's clock; a second report in the same minute gets -2, -3, … */
export function reportFolderName(at: Date, timeZone: string, taken: (name: string) => boolean): string {
  const base = formatLocal(at, timeZone).slice(0, 16).replace(' ', 'T').replace(':', '');
  if (!taken(base)) return base;
  for (let i = 2; ; i++) if (!taken(`${base}-${i}`)) return `${base}-${i}`;
}

/**
 * Write the files into a new dated folder under `baseDir`, then record them in the audit chain.
 * The folder appears whole or not at all (written under a temporary name, then renamed), and the
 * audit entry is appended only once the files are in place, so every 'report.written' entry
 * points at a report that exists with exactly those hashes.
 */
export function writeReportFolder(
  db: Db,
  data: ReportData,
  rendered: readonly RenderedFile[],
  baseDir: string,
): WrittenReport {
  mkdirSync(baseDir, { recursive: true });
  const p = data.provenance;
  const name = reportFolderName(p.at, data.election.timeZone, (n) => existsSync(join(baseDir, n)));
  const tmp = join(baseDir, `.${name}.partial-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  try {
    const files: ReportFile[] = rendered.map((f) => {
      writeFileSync(join(tmp, f.name), f.bytes);
      return { name: f.name, bytes: f.bytes.length, sha256: sha256(f.bytes) };
    });
    const manifest = Buffer.from(
      `${JSON.stringify(
        {
          report: name,
          election: { id: p.electionId, title: data.election.title, hash: p.electionHash },
          at: p.at.toISOString(),
          generated_at: p.generatedAt.toISOString(),
          time_zone: data.election.timeZone,
          audit_head: p.auditHead,
          recognizer_versions: p.recognizerVersions,
          recognizer_current: p.currentRecognizer,
          software: p.software,
          files,
        },
        null,
        2,
      )}\n`,
      'utf8',
    );
    writeFileSync(join(tmp, MANIFEST_NAME), manifest);
    const manifestSha256 = sha256(manifest);
    const all = [...files, { name: MANIFEST_NAME, bytes: manifest.length, sha256: manifestSha256 }];
    // The format `sha256sum -c SHA256SUMS` checks, so anyone can verify a copy without our tools.
    writeFileSync(join(tmp, SUMS_NAME), all.map((f) => `${f.sha256}  ${f.name}\n`).join(''));
    const dir = join(baseDir, name);
    renameSync(tmp, dir);
    // A folder the audit chain does not know about would be a report nobody can vouch for: remove it.
    // IMMEDIATE: the daemon appends too; take the write lock before reading the chain's head.
    const entry = recordOrRemove(dir, () =>
      db
        .transaction(() =>
          appendAudit(db, {
            actor: 'report',
            action: 'report.written',
            subjectType: 'report',
            subjectId: null,
            detail: {
              folder: name,
              at: p.at.toISOString(),
              generated_at: p.generatedAt.toISOString(),
              audit_head: p.auditHead,
              election_hash: p.electionHash,
              files: Object.fromEntries(all.map((f) => [f.name, f.sha256])),
              manifest_sha256: manifestSha256,
            },
          }),
        )
        .immediate(),
    );
    return { dir, name, files: all, manifestSha256, audit: { seq: entry.seq, hash: entry.hash } };
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

function recordOrRemove<T>(dir: string, record: () => T): T {
  try {
    return record();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
