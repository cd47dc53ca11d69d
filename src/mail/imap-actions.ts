import type { SearchObject } from 'imapflow';
import type { MailAction } from '../config/schema.js';

/** What the source does to a message once the pipeline has answered, after checking what the server allows. */
export interface MailboxActions {
  readonly stored: MailAction;
  readonly failed: MailAction;
  /** Why a configured action was replaced; logged once per session. */
  readonly fallbacks: readonly string[];
}

/**
 * A server lists in PERMANENTFLAGS what it keeps; `\*` means any new keyword. Without it (some
 * hosted mailboxes) a keyword would be dropped silently and the mail fetched again forever, so
 * fall back to \Seen, which every server keeps. No PERMANENTFLAGS at all means no restriction.
 */
export function resolveMailboxActions(
  configured: { readonly onStored: MailAction; readonly onFailed: MailAction },
  permanentFlags: ReadonlySet<string> | undefined,
): MailboxActions {
  const fallbacks: string[] = [];
  const keeps = (keyword: string) =>
    permanentFlags === undefined || permanentFlags.has('\\*') || permanentFlags.has(keyword);
  const resolve = (action: MailAction, what: 'stored' | 'failed'): MailAction => {
    if (action.action !== 'flag' || keeps(action.keyword)) return action;
    fallbacks.push(
      `server does not keep the keyword ${action.keyword} (PERMANENTFLAGS without \\*): ${what} mail is marked \\Seen instead` +
        (what === 'failed' ? '; configure onFailed as a move to a folder to keep failed mail apart' : ''),
    );
    return { action: 'seen' };
  };
  const stored = resolve(configured.onStored, 'stored');
  const failed = resolve(configured.onFailed, 'failed');
  return { stored, failed, fallbacks };
}

/**
 * The SEARCH for mail still to hand over: everything the stored and failed actions have not
 * marked yet. With 'move' and 'none' the mark is leaving the mailbox (or nothing), so all of it.
 */
export function pendingSearch(actions: Pick<MailboxActions, 'stored' | 'failed'>): SearchObject {
  const query: SearchObject = {};
  const keywords: string[] = [];
  for (const action of [actions.stored, actions.failed]) {
    if (action.action === 'seen') query.seen = false;
    if (action.action === 'flag' && !keywords.includes(action.keyword)) keywords.push(action.keyword);
  }
  // SEARCH ANDs its keys; the object has room for one UNKEYWORD, a second goes under NOT.
  const [first, second] = keywords;
  if (first !== undefined) query.unKeyword = first;
  if (second !== undefined) query.not = { keyword: second };
  if (Object.keys(query).length === 0) query.all = true;
  return query;
}
