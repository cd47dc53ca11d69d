import type { Election } from '../election/election.js';
import type { Tally } from '../store/tally.js';
import { html } from './html.js';
import { reason, t } from './i18n.js';
import { type PageContext, page } from './layout.js';

/** The current count, as computeTally gives it: the same numbers the CLI and reports print. */
export function tallyPage(ctx: PageContext, election: Election, tally: Tally): string {
  const { lang } = ctx;
  const kinds = election.ballots.map((b) => {
    const k = tally[b.kind];
    if (!k) return html``;
    const ranked = [...b.items].sort(
      (x, y) => (k.votes[String(y.number)] ?? 0) - (k.votes[String(x.number)] ?? 0) || x.number - y.number,
    );
    const top = Math.max(1, ...Object.values(k.votes));
    // The first highlightTop places are what the vote asks for: their bars are green, the rest grey.
    const bar = (votes: number, place: number) =>
      html`<svg width="100%" height="10" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
        <rect width="100" height="10" rx="2" fill="#eef0f3" />
        <rect
          width="${((100 * votes) / top).toFixed(1)}"
          height="10"
          rx="2"
          fill="${place < b.highlightTop ? '#15803d' : '#9aa3ae'}"
        />
      </svg>`;
    return html`<div class="card" id="tally-${b.kind}">
      <h2>${b.label[lang]}</h2>
      <div class="counts">
        <div class="count good">
          <span class="n" data-tally="${b.kind}.valid">${k.ballots.valid}</span
          ><span class="l">${t(lang, 'validBallots')}</span>
        </div>
        <div class="count">
          <span class="n" data-tally="${b.kind}.invalid">${k.ballots.invalid}</span
          ><span class="l">${t(lang, 'invalidBallots')}</span>
        </div>
        <div class="count">
          <span class="n" data-tally="${b.kind}.review">${k.ballots.review}</span
          ><span class="l">${t(lang, 'inReview')}</span>
        </div>
      </div>
      <p class="small muted">
        ${Object.entries(k.invalid_by_reason)
          .map(([c, n]) => `${reason(lang, c)} ${n}`)
          .join(' · ')}
      </p>
      <table class="list votes">
        <tbody>
          ${ranked.map(
            (it, place) =>
              html`<tr>
                <td class="num">${it.number}</td>
                <td>${it.provincial ? '*' : ''}${it.name}</td>
                <td class="bar">${bar(k.votes[String(it.number)] ?? 0, place)}</td>
                <td class="num" data-votes="${b.kind}.${it.number}">${k.votes[String(it.number)] ?? 0}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  });
  return page(ctx, {
    title: t(lang, 'tally'),
    nav: 'tally',
    body: html`<h1>${t(lang, 'tally')}</h1>
      ${kinds}`,
  });
}
