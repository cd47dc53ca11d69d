import type { Election } from '../election/election.js';
import { formatLocal } from '../election/zoned-time.js';
import { type Html, html } from './html.js';
import { type Lang, type LabelKey, reason, t } from './i18n.js';

/** Small pieces of markup shared by the pages: times, state tags, reason tags, the certainty meter. */
export function when(iso: string | null, election: Election): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : formatLocal(d, election.timeZone).slice(0, 16);
}

const STATUS_LABEL: Record<string, LabelKey> = {
  valid: 'statusValid',
  invalid: 'statusInvalid',
  review: 'statusReview',
  not_a_ballot: 'statusNotABallot',
};

export function statusTag(lang: Lang, status: string): Html {
  const key = STATUS_LABEL[status];
  return html`<span class="tag ${status}">${key ? t(lang, key) : status}</span>`;
}

export function reasonTags(lang: Lang, codes: readonly string[], cls = 'grey'): Html {
  return html`${codes.map((c) => html`<span class="tag ${cls}" data-reason="${c}">${reason(lang, c)}</span>`)}`;
}

export function meter(value: number): Html {
  const pct = Math.max(0, Math.min(100, Math.round(value * 100)));
  // An SVG bar: the page's Content-Security-Policy allows no inline style attributes.
  const colour = value >= 0.9 ? '#15803d' : value < 0.5 ? '#b91c1c' : '#d97706';
  return html`<span class="meter"
    ><svg width="70" height="8" aria-hidden="true">
      <rect width="70" height="8" rx="4" fill="#eef0f3" />
      <rect width="${(pct * 0.7).toFixed(1)}" height="8" rx="4" fill="${colour}" /></svg
    >${pct}%</span
  >`;
}

export function kindLabel(election: Election, lang: Lang, kind: string): string {
  return election.ballots.find((b) => b.kind === kind)?.label[lang] ?? kind;
}
