import type { Election } from '../election/election.js';
import { REASONS } from '../election/reasons.js';
import type { Tally } from '../store/tally.js';
import { kindLabel, meter, reasonTags, statusTag, when } from './format.js';
import { type Html, html } from './html.js';
import { type LabelKey, t } from './i18n.js';
import { type PageContext, page } from './layout.js';
import {
  type Queue,
  type QueueEntry,
  type QueueFilter,
  type QueueType,
  QUEUE_LIMIT,
  QUEUE_TYPES,
  filterQuery,
} from './queue.js';

const TYPE_LABEL: Record<QueueType, LabelKey> = {
  ballot: 'typeBallot',
  page: 'typePage',
  attachment: 'typeAttachment',
  mail: 'typeMail',
};

function hrefFor(e: QueueEntry, filter: QueueFilter): string {
  switch (e.type) {
    case 'ballot': {
      const q = filterQuery(filter);
      return `/ballots/${e.ballotId}${q ? `?${q}` : ''}`;
    }
    case 'page':
      return `/pages/${e.pageId}`;
    case 'attachment':
      return `/mails/${e.mailId}#att-${e.attachmentId}`;
    case 'mail':
      return `/mails/${e.mailId}`;
  }
}

function describe(ctx: PageContext, election: Election, e: QueueEntry): Html {
  const { lang } = ctx;
  switch (e.type) {
    case 'ballot':
      return html`${t(lang, 'typeBallot')} #${e.ballotId} · ${kindLabel(election, lang, e.kind)}
      ${e.late ? html`<span class="tag grey">${t(lang, 'late')}</span>` : ''}`;
    case 'page':
      return html`${t(lang, 'typePage')} · ${e.filename ?? ''} ${t(lang, 'page')} ${e.pageNo}`;
    case 'attachment':
      return html`${t(lang, 'typeAttachment')} · ${e.filename ?? ''}`;
    case 'mail':
      return html`${t(lang, 'typeMail')} #${e.mailId} · ${e.subject ?? ''}`;
  }
}

export function queuePage(
  ctx: PageContext,
  election: Election,
  queue: Queue,
  filter: QueueFilter,
  tally: Tally,
  flash: Html | null,
): string {
  const { lang } = ctx;
  const withType = (type: QueueType | undefined) => {
    const { type: _drop, ...rest } = filter;
    const q = filterQuery(type ? { ...rest, type } : rest);
    return `/${q ? `?${q}` : ''}`;
  };
  const validTotal = election.ballots.reduce((n, b) => n + (tally[b.kind]?.ballots.valid ?? 0), 0);
  const counts = html`<div class="counts">
    ${QUEUE_TYPES.map(
      (type) =>
        html`<a
          class="count ${filter.type === type ? 'on' : ''}"
          href="${withType(filter.type === type ? undefined : type)}"
          data-count="${type}"
        >
          <span class="n">${queue.counts[type]}</span><span class="l">${t(lang, TYPE_LABEL[type])}</span></a
        >`,
    )}
    <a class="count tally" href="/tally" data-count="valid"
      ><span class="n" id="valid-total">${validTotal}</span
      ><span class="l">${t(lang, 'validBallots')}</span></a
    >
  </div>`;

  const reasonOptions = Object.entries(REASONS);
  const filters = html`<form class="filters card" method="get" action="/">
    <label
      >${t(lang, 'filterState')}
      <select name="state">
        <option value="open" ${filter.state === 'open' ? 'selected' : ''}>${t(lang, 'open')}</option>
        <option value="decided" ${filter.state === 'decided' ? 'selected' : ''}>${t(lang, 'decided')}</option>
      </select></label
    >
    <label
      >${t(lang, 'filterKind')}
      <select name="kind">
        <option value="">${t(lang, 'anyOption')}</option>
        ${election.ballots.map((b) => html`<option value="${b.kind}" ${filter.kind === b.kind ? 'selected' : ''}>${b.label[lang]}</option>`)}
      </select></label
    >
    <label
      >${t(lang, 'filterReason')}
      <select name="reason">
        <option value="">${t(lang, 'anyOption')}</option>
        ${reasonOptions.map(([code, r]) => html`<option value="${code}" ${filter.reason === code ? 'selected' : ''}>${r[lang]}</option>`)}
      </select></label
    >
    <label>${t(lang, 'filterFrom')}<input type="date" name="from" value="${filter.from ?? ''}" /></label>
    <label>${t(lang, 'filterTo')}<input type="date" name="to" value="${filter.to ?? ''}" /></label>
    ${filter.type ? html`<input type="hidden" name="type" value="${filter.type}" />` : ''}
    <button class="btn primary">${t(lang, 'filterApply')}</button>
    <a class="btn" href="/">${t(lang, 'filterClear')}</a>
  </form>`;

  const rows = queue.entries.map(
    (e) =>
      html`<tr class="row" data-href="${hrefFor(e, filter)}" data-entry="${e.type}">
        <td><a class="open" href="${hrefFor(e, filter)}">${describe(ctx, election, e)}</a></td>
        <td>
          ${e.type === 'ballot' ? statusTag(lang, e.status) : ''}
          ${reasonTags(lang, e.reasons, e.type === 'ballot' && e.status === 'review' ? 'review' : e.type === 'ballot' ? 'invalid' : 'grey')}
          ${
            e.type === 'ballot' && e.decidedBy === 'person'
              ? html`<span class="tag person"
                  >${t(lang, 'decidedByPerson')}${e.actor ? ` · ${e.actor.replace(/^user:/, '')}` : ''}</span
                >`
              : ''
          }
        </td>
        <td>${e.type === 'ballot' ? meter(e.certainty) : html`<span class="muted">—</span>`}</td>
        <td>${when(e.receivedAt, election)}</td>
        <td class="small">${e.from ?? ''}</td>
      </tr>`,
  );
  const table =
    queue.entries.length === 0
      ? html`<div class="empty">${t(lang, 'queueEmpty')}</div>`
      : html`<table class="list" id="queue">
            <thead>
              <tr>
                <th>${t(lang, 'colItem')}</th>
                <th>${t(lang, 'colReasons')}</th>
                <th>${t(lang, 'colConfidence')}</th>
                <th>${t(lang, 'colReceived')}</th>
                <th>${t(lang, 'colSender')}</th>
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table>
          ${queue.truncated ? html`<p class="muted">${t(lang, 'queueTruncated', { n: QUEUE_LIMIT })}</p>` : ''}`;

  return page(ctx, {
    title: t(lang, 'queue'),
    nav: 'queue',
    body: html`<h1>${t(lang, 'queue')}</h1>
      ${flash ?? ''}${counts}${filters}${table}`,
    script: QUEUE_SCRIPT,
  });
}

/** Whole rows are click targets; J/K walk the rows and Enter opens one. */
const QUEUE_SCRIPT = `
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.row'));
  var at = -1;
  rows.forEach(function (r) {
    r.addEventListener('click', function (ev) { if (ev.target.closest('a')) return; location.href = r.dataset.href; });
  });
  function mark() { rows.forEach(function (r, i) { r.classList.toggle('cur', i === at); }); if (rows[at]) rows[at].scrollIntoView({ block: 'nearest' }); }
  document.addEventListener('keydown', function (ev) {
    if (ev.target.closest('input, select, textarea') || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key === 'j' || ev.key === 'J') { at = Math.min(rows.length - 1, at + 1); mark(); }
    else if (ev.key === 'k' || ev.key === 'K') { at = Math.max(0, at - 1); mark(); }
    else if (ev.key === 'Enter' && rows[at]) { location.href = rows[at].dataset.href; }
  });
})();
`;
