import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The `scan --json` contract scripts depend on, through the compiled CLI as a user runs it:
 * one line per ballot in file order, page order, then top-to-bottom on the page; one
 * not_a_ballot line for a page without a ballot; one unreadable line for a bad file.
 */
const R = 'fixtures/recognize';

describe('ballot-inbox scan --json', () => {
  it('prints one line per ballot, in order, and keeps going past a bad file', () => {
    const junk = join(mkdtempSync(join(tmpdir(), 'scan-')), 'photo.jpg');
    writeFileSync(junk, Buffer.from('this is not a JPEG at all'));
    const files = [
      `${R}/003-clean-both.png`,
      junk,
      `${R}/072-clean-logo.png`,
      `${R}/077-clean-form-single-districts.pdf`,
      'fixtures/mail/13-overvote.eml',
    ];
    const r = spawnSync(process.execPath, [resolve('bin/ballot-inbox.js'), 'scan', '--json', ...files], {
      encoding: 'utf8',
      env: { ...process.env, LOG_FORMAT: 'json' },
      timeout: 240_000,
    });
    expect(r.status).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const l of lines) {
      expect(Object.keys(l).sort()).toEqual(
        ['attachment', 'confidence', 'file', 'kind', 'marks', 'page', 'reason', 'status'].sort(),
      );
    }
    expect(lines.map((l) => [l.file, l.page, l.kind, l.status])).toEqual([
      [files[0], 1, 'projects', 'valid'],
      [files[0], 1, 'districts', 'valid'],
      [junk, null, null, 'unreadable'],
      [files[2], 1, null, 'not_a_ballot'],
      [files[3], 1, 'districts', 'valid'],
      [files[4], 1, 'districts', 'invalid'],
    ]);
    // Marks as the voter ticked them (ground truth in fixtures/recognize/manifest.json).
    expect(lines[0]!.marks).toEqual([2, 7, 8, 14, 15, 21, 26, 30, 32, 39]);
    expect(lines[1]!.marks).toEqual([2, 3, 5]);
    expect(lines[2]!.reason).toBeTruthy();
    expect(lines[4]!.marks).toEqual([3]);
    expect(lines[5]).toMatchObject({ reason: 'overvote', attachment: expect.any(String) });
  });
});
