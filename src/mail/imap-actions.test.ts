import { describe, expect, it } from 'vitest';
import { pendingSearch, resolveMailboxActions } from './imap-actions.js';

const flagged = {
  onStored: { action: 'flag', keyword: '$BallotInboxStored' },
  onFailed: { action: 'flag', keyword: '$BallotInboxFailed' },
} as const;

describe('resolveMailboxActions', () => {
  it('keeps keywords when PERMANENTFLAGS allows new ones (\\*) or is absent', () => {
    for (const pf of [new Set(['\\Seen', '\\*']), undefined]) {
      const r = resolveMailboxActions(flagged, pf);
      expect(r.stored).toEqual(flagged.onStored);
      expect(r.failed).toEqual(flagged.onFailed);
      expect(r.fallbacks).toEqual([]);
    }
  });

  it('keeps a keyword the server lists even without \\*', () => {
    const r = resolveMailboxActions(flagged, new Set(['\\Seen', '$BallotInboxStored']));
    expect(r.stored).toEqual(flagged.onStored);
    expect(r.failed).toEqual({ action: 'seen' });
    expect(r.fallbacks).toHaveLength(1);
  });

  it('falls back to \\Seen and says so when the server keeps no custom keywords', () => {
    const r = resolveMailboxActions(flagged, new Set(['\\Seen', '\\Deleted', '\\Flagged']));
    expect(r.stored).toEqual({ action: 'seen' });
    expect(r.failed).toEqual({ action: 'seen' });
    expect(r.fallbacks.join('\n')).toMatch(/\$BallotInboxStored.*PERMANENTFLAGS/);
    expect(r.fallbacks.join('\n')).toMatch(/move/);
  });

  it('leaves move, seen and none alone whatever the flags', () => {
    const configured = {
      onStored: { action: 'move', folder: '已处理' },
      onFailed: { action: 'none' },
    } as const;
    const r = resolveMailboxActions(configured, new Set(['\\Seen']));
    expect(r).toEqual({ stored: configured.onStored, failed: configured.onFailed, fallbacks: [] });
  });
});

describe('pendingSearch', () => {
  it('excludes both keywords, the second under NOT', () => {
    expect(pendingSearch({ stored: flagged.onStored, failed: flagged.onFailed })).toEqual({
      unKeyword: '$BallotInboxStored',
      not: { keyword: '$BallotInboxFailed' },
    });
  });
  it('asks for unseen mail when an action marks \\Seen', () => {
    expect(pendingSearch({ stored: { action: 'seen' }, failed: { action: 'move', folder: 'x' } })).toEqual({
      seen: false,
    });
  });
  it('asks for everything when mail leaves the mailbox or is never marked', () => {
    expect(pendingSearch({ stored: { action: 'move', folder: 'a' }, failed: { action: 'none' } })).toEqual({
      all: true,
    });
  });
});
