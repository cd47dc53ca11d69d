import type { Election } from '../election/election.js';
import { kindLabel, reasonTags, statusTag, when } from './format.js';
import { type Html, html } from './html.js';
import { reason, t } from './i18n.js';
import { type PageContext, csrfField, page } from './layout.js';
import type { PageView } from './page-view.js';

export interface PagePageOptions {
  readonly flash: Html | null;
}

/**
 * The screen for a page the recognizer did not read as a ballot: the image, and a form to enter the
 * ballot(s) on it by hand — kind from the election config, every item of that kind with its name — or to
 * confirm it holds none. The election rules judge what is entered, exactly as for a machine reading.
 */
export function pagePage(ctx: PageContext, election: Election, v: PageView, o: PagePageOptions): string {
  const { lang } = ctx;
  const isAdmin = ctx.user?.role === 'admin';
  const standing = v.ballots.filter((b) => b.status !== 'not_a_ballot');
  const readable =
    v.reading !== null && (v.attachment.status === 'read' || v.attachment.status === 'duplicate');
  const confirmedNone = v.decision?.outcome === 'not_a_ballot';
  // Ballots were read here, but the machine saw another table it could not read.
  const unreadTable = v.reading?.status === 'ballots' && v.reading.reason === 'unread_table';
  const readingReasons =
    v.reading && v.reading.status !== 'ballots'
      ? [v.reading.reason ?? v.reading.status]
      : unreadTable
        ? ['unread_table']
        : [];

  const head = html`<div class="ballot-head">
    <h1>${t(lang, 'page')} ${v.page.pageNo} · ${v.attachment.filename ?? `#${v.attachment.id}`}</h1>
    ${reasonTags(lang, readingReasons)}
    ${
      v.decision && v.decision.outcome !== 'machine'
        ? html`<span class="tag person" id="page-decided"
            >${t(lang, 'decidedByPerson')} · ${v.decision.actor.replace(/^user:/, '')}</span
          >`
        : ''
    }
    <div class="nav">
      <a class="btn" href="/mails/${v.mail.id}#page-${v.page.id}">${t(lang, 'viewMail')}</a>
      <a class="btn" href="/">${t(lang, 'backToQueue')}</a>
    </div>
  </div>`;

  const imagePanel = v.page.hasImage
    ? html`<div class="imgwrap">
        <img
          id="page-img"
          src="/pages/${v.page.id}/image"
          alt="${t(lang, 'page')} ${v.page.pageNo}"
          ${v.image ? html`width="${v.image.width}" height="${v.image.height}"` : ''}
        />
      </div>`
    : html`<div class="imgwrap">
        <p class="muted">${t(lang, 'noImage')}</p>
        <p><a href="/attachments/${v.attachment.id}/original">${t(lang, 'original')}</a></p>
      </div>`;

  const notCounted = html`${v.mail.late ? html`<p class="flash err" id="late-note">${t(lang, 'lateNotCounted')}</p>` : ''}
  ${v.attachment.status === 'duplicate' ? html`<p class="flash err" id="dup-note">${t(lang, 'duplicateNotCounted')}</p>` : ''}`;

  const kinds = election.ballots;
  const first = kinds[0];
  const fieldsets = kinds.map(
    (k) =>
      html`<fieldset
        class="items ${k.items.length <= 12 ? 'few' : ''}"
        data-kind="${k.kind}"
        data-max="${k.maxMarks}"
        ${k === first ? '' : 'hidden'}
      >
        ${k.items.map(
          (it) =>
            html`<label class="item" data-n="${it.number}">
              <input type="checkbox" name="mark_${k.kind}" value="${it.number}" />
              <span class="no">${it.number}</span><span class="nm">${it.name}</span></label
            >`,
        )}
      </fieldset>`,
  );

  let enterCard: Html;
  if (!readable) enterCard = html``;
  else if (confirmedNone && !isAdmin)
    enterCard = html`<div class="card">
      <p class="flash err" id="read-only">${t(lang, 'pageDecidedNot')}</p>
    </div>`;
  else
    enterCard = html`<div class="card">
      <h2>${t(lang, 'enterBallot')}</h2>
      <p class="small muted">${t(lang, 'enterBallotHelp')}</p>
      ${notCounted}
      <form
        method="post"
        action="/pages/${v.page.id}/decide"
        id="enter"
        data-tpl-count="${t(lang, 'selectedCount')}"
        data-tpl-over="${t(lang, 'overLimitHint', { label: reason(lang, 'overvote') })}"
        data-tpl-blank="${t(lang, 'blankHint')}"
        data-confirm-not="${t(lang, 'confirmNotBallot')}"
      >
        ${csrfField(ctx)}
        <input type="hidden" name="seenReading" value="${v.reading?.id ?? ''}" />
        <input type="hidden" name="seenDecision" value="${v.decision?.id ?? ''}" />
        <p class="kindrow">
          <label
            >${t(lang, 'kindLabel')}:
            <select name="kind" id="kind">
              ${kinds.map((k) => html`<option value="${k.kind}" ${k === first ? 'selected' : ''}>${k.label[lang]}</option>`)}
            </select></label
          >
        </p>
        ${fieldsets}
        <div class="selcount" id="selcount">
          ${t(lang, 'selectedCount', { n: 0, max: first?.maxMarks ?? 0 })}
        </div>
        <div class="hint" id="hint"></div>
        <textarea
          name="note"
          id="note"
          aria-label="${t(lang, 'note')}"
          placeholder="${t(lang, 'note')}:${t(lang, 'enterNotePlaceholder')}"
        ></textarea>
        <div class="actions">
          <button class="btn good big" name="outcome" value="ballot" id="record-ballot">
            ${t(lang, 'recordBallot')}
          </button>
          ${
            !confirmedNone && (standing.length === 0 || unreadTable)
              ? html`<button class="btn big" name="outcome" value="not_a_ballot" id="not-ballot">
                  ${t(lang, standing.length === 0 ? 'confirmNotABallot' : 'confirmNoOtherBallot')}
                </button>`
              : ''
          }
        </div>
      </form>
    </div>`;

  const ballotsCard = html`<div class="card" id="page-ballots">
    <h2>${t(lang, 'ballotsOnPage')}</h2>
    ${
      v.ballots.length === 0
        ? html`<p class="muted">${t(lang, 'noBallotsOnPage')}</p>`
        : html`<ul class="plain">
            ${v.ballots.map(
              (b) =>
                html`<li data-ballot="${b.ballotId}">
                  <a href="/ballots/${b.ballotId}">${t(lang, 'ballot')} #${b.ballotId}</a>
                  ${kindLabel(election, lang, b.kind)} ${statusTag(lang, b.status)}
                  ${b.reason ? reasonTags(lang, [b.reason], 'invalid') : ''}
                  <span class="mono">[${b.marks.join(', ')}]</span>
                  ${b.origin === 'staff' ? html`<span class="tag person">${t(lang, 'enteredByStaff')}</span>` : ''}
                  ${b.late ? html`<span class="tag grey">${t(lang, 'late')}</span>` : ''}
                  ${b.duplicate ? html`<span class="tag grey">${t(lang, 'duplicate')}</span>` : ''}
                </li>`,
            )}
          </ul>`
    }
  </div>`;

  const factsCard = html`<div class="card">
    <h2>${t(lang, 'mail')} #${v.mail.id}</h2>
    <dl class="facts">
      <dt>${t(lang, 'from')}</dt>
      <dd>${v.mail.from ?? ''}</dd>
      <dt>${t(lang, 'subject')}</dt>
      <dd>${v.mail.subject ?? ''}</dd>
      <dt>${t(lang, 'received')}</dt>
      <dd>
        ${when(v.mail.receivedAt, election)}
        ${v.mail.late ? html`<span class="tag grey">${t(lang, 'late')}</span>` : ''}
      </dd>
      <dt>${t(lang, 'attachment')}</dt>
      <dd>
        ${v.attachment.filename ?? `#${v.attachment.id}`} ·
        <a href="/attachments/${v.attachment.id}/original">${t(lang, 'original')}</a>
      </dd>
      <dt>${t(lang, 'pageReading')}</dt>
      <dd>
        ${v.reading ? (readingReasons.length ? reasonTags(lang, readingReasons) : t(lang, 'ballots')) : ''}
        ${v.reading?.detail ? html`<span class="small muted">${readableDetail(v.reading.detail)}</span>` : ''}
      </dd>
    </dl>
  </div>`;

  const historyCard = html`<div class="card" id="history">
    <h2>${t(lang, 'history')}</h2>
    <ol class="history">
      ${v.history.map(
        (h) =>
          html`<li data-action="${h.action}">
            <span class="muted small">${when(h.at, election)}</span> <b>${h.actor}</b>
            <span class="mono">${h.action}</span> <span class="small">${h.subject}</span>
          </li>`,
      )}
    </ol>
  </div>`;

  const body = html`${head}${o.flash ?? ''}
    <div class="ballot-grid">
      <div>${imagePanel}</div>
      <div>${enterCard}${ballotsCard}${factsCard}${historyCard}</div>
    </div>`;
  return page(ctx, {
    title: `${t(lang, 'page')} ${v.page.pageNo}`,
    nav: 'queue',
    body,
    script: PAGE_SCRIPT,
  });
}

/** A not-a-ballot page's detail is the recognizer's notes as a JSON list; an unreadable page's is plain text. */
function readableDetail(detail: string): string {
  try {
    const notes: unknown = JSON.parse(detail);
    if (Array.isArray(notes)) return notes.map(String).join('; ');
  } catch {
    /* plain text */
  }
  return detail;
}

/** Show the items of the chosen kind, count the ticks against its limit, and ask before "not a ballot". */
const PAGE_SCRIPT = `
(function () {
  var form = document.getElementById('enter');
  if (!form) return;
  var kindSel = form.elements.namedItem('kind');
  function fmt(tpl, v) { return tpl.replace(/\\{(\\w+)\\}/g, function (m, k) { return k in v ? v[k] : m; }); }
  function refresh() {
    var fs = null;
    form.querySelectorAll('fieldset[data-kind]').forEach(function (f) { f.hidden = f.dataset.kind !== kindSel.value; if (!f.hidden) fs = f; });
    if (!fs) return;
    var max = Number(fs.dataset.max), n = 0;
    fs.querySelectorAll('label.item').forEach(function (l) { var on = l.querySelector('input').checked; if (on) n++; l.classList.toggle('on', on); });
    var c = document.getElementById('selcount');
    c.textContent = fmt(form.dataset.tplCount, { n: n, max: max });
    c.classList.toggle('over', n > max);
    document.getElementById('hint').textContent = n > max ? form.dataset.tplOver : n === 0 ? form.dataset.tplBlank : '';
  }
  form.addEventListener('change', refresh);
  form.addEventListener('submit', function (ev) {
    var s = ev.submitter ? ev.submitter.value : '';
    if (s === 'not_a_ballot' && !confirm(form.dataset.confirmNot)) ev.preventDefault();
  });
  refresh();
})();
`;
