import type { Election } from '../election/election.js';
import { ballotKind } from '../election/election.js';
import type { ReasonCode } from '../election/reasons.js';
import { MANUAL_METHOD } from '../store/page-decision.js';
import type { BallotView, HistoryEntry } from './ballot-view.js';
import { kindLabel, meter, reasonTags, statusTag, when } from './format.js';
import { type Html, html } from './html.js';
import { type Lang, reason, t } from './i18n.js';
import { type PageContext, csrfField, page } from './layout.js';

export interface BallotPageOptions {
  readonly queryString: string;
  readonly prev: number | null;
  readonly next: number | null;
  readonly flash: Html | null;
  /** Present only when the daemon offers re-processing. */
  readonly canReprocess: boolean;
}

/** Invalid reasons staff may choose, most common first. */
const STAFF_INVALID: readonly ReasonCode[] = ['staff_invalid', 'overvote', 'blank', 'undervote'];

function imagePanel(ctx: PageContext, election: Election, v: BallotView): Html {
  const { lang } = ctx;
  if (!v.image && v.reading.method === MANUAL_METHOD && v.pageImage)
    return html`<div class="imgwrap">
      <a href="/pages/${v.page.id}"
        ><img id="page-img" src="/pages/${v.page.id}/image" alt="${t(lang, 'page')} ${v.page.pageNo}"
      /></a>
    </div>`;
  if (!v.image) return html`<div class="imgwrap"><p class="muted">${t(lang, 'noImage')}</p></div>`;
  const kind = ballotKind(election, v.reading.kind);
  const nameOf = (n: number) => kind?.items.find((i) => i.number === n)?.name ?? '';
  const selected = new Set(v.state.kind === v.reading.kind ? v.state.marks : []);
  const { width, height } = v.image;
  const cells = v.reading.cells
    .filter((c) => c.box)
    .map((c) => {
      const b = c.box!;
      return html`<rect
        class="cell m-${c.decision}${selected.has(c.number) ? ' sel' : ''}"
        data-n="${c.number}"
        x="${b.x}"
        y="${b.y}"
        width="${b.width}"
        height="${b.height}"
        rx="3"
        ><title>${c.number}. ${nameOf(c.number)} — ${t(lang, 'score')} ${c.score.toFixed(3)}</title></rect
      >`;
    });
  return html`<div class="imgwrap">
    <svg
      id="ballot-svg"
      viewBox="0 0 ${width} ${height}"
      data-kind="${v.reading.kind}"
      role="img"
      aria-label="${t(lang, 'ballot')} #${v.state.ballotId}"
    >
      <image
        href="/ballots/${v.state.ballotId}/image?reading=${v.reading.id}"
        x="0"
        y="0"
        width="${width}"
        height="${height}"
      />
      ${cells}
    </svg>
    <div class="legend">
      <span class="lm">${t(lang, 'legendMarked')}</span><span class="le">${t(lang, 'legendEmpty')}</span>
      <span class="lu">${t(lang, 'legendUncertain')}</span
      ><span class="ls">${t(lang, 'legendSelected')}</span>
    </div>
  </div>`;
}

function pagePanel(ctx: PageContext, v: BallotView): Html {
  if (!v.pageImage || !v.reading.region) return html``;
  const { width, height } = v.pageImage;
  const points = v.reading.region.map(([x, y]) => `${x},${y}`).join(' ');
  const stroke = Math.max(4, Math.round(Math.max(width, height) / 250));
  return html`<div class="card">
    <h2>${t(ctx.lang, 'pageImage')}</h2>
    <div class="imgwrap">
      <svg viewBox="0 0 ${width} ${height}" id="page-svg">
        <image href="/pages/${v.page.id}/image" x="0" y="0" width="${width}" height="${height}" />
        <polygon points="${points}" fill="rgba(29,78,216,0.08)" stroke="#1d4ed8" stroke-width="${stroke}" />
      </svg>
    </div>
  </div>`;
}

/**
 * One line per audit entry: the state it led to, the marks, the reasons and any note. Staff decisions
 * carry {after, note}; the pipeline's judgements carry {verdict, reason, marks, reviewReasons}.
 */
function historyLine(lang: Lang, h: HistoryEntry): Html {
  const d = h.detail as {
    after?: { status?: string; reason?: string | null; marks?: number[] };
    note?: string | null;
    verdict?: string | { status?: string };
    reason?: string | null;
    marks?: number[];
    reviewReasons?: string[];
  };
  const status = d.after?.status ?? (typeof d.verdict === 'string' ? d.verdict : d.verdict?.status);
  const why = d.after ? d.after.reason : d.reason;
  const marks = d.after?.marks ?? d.marks;
  const reasons = [...(why ? [why] : []), ...(Array.isArray(d.reviewReasons) ? d.reviewReasons : [])];
  return html`${status ? html`→ ${statusTag(lang, status)}` : ''}
  ${reasons.map((c) => reason(lang, c)).join('、')}
  ${marks ? html`<span class="mono">[${marks.join(', ')}]</span>` : ''} ${d.note ? `“${d.note}”` : ''}`;
}

export function ballotPage(
  ctx: PageContext,
  election: Election,
  v: BallotView,
  o: BallotPageOptions,
): string {
  const { lang } = ctx;
  const s = v.state;
  const r = v.reading;
  const id = s.ballotId;
  const q = o.queryString ? `?${o.queryString}` : '';
  const isAdmin = ctx.user?.role === 'admin';
  const canDecide = s.decidedBy === 'machine' || isAdmin;

  const head = html`<div class="ballot-head">
    <h1>${t(lang, 'ballot')} #${id} · ${kindLabel(election, lang, s.kind)}</h1>
    ${statusTag(lang, s.status)}
    ${reasonTags(lang, s.status === 'review' ? s.reviewReasons : s.reason ? [s.reason] : [], s.status === 'review' ? 'review' : 'invalid')}
    <span class="tag ${s.decidedBy === 'person' ? 'person' : 'grey'}"
      >${t(lang, s.decidedBy === 'person' ? 'decidedByPerson' : 'decidedByMachine')}</span
    >
    <div class="nav">
      <a
        class="btn"
        id="prev"
        href="${o.prev ? `/ballots/${o.prev}${q}` : '#'}"
        aria-disabled="${o.prev ? 'false' : 'true'}"
        ><kbd>K</kbd> ${t(lang, 'prev')}</a
      >
      <a
        class="btn"
        id="next"
        href="${o.next ? `/ballots/${o.next}${q}` : '#'}"
        aria-disabled="${o.next ? 'false' : 'true'}"
        >${t(lang, 'next')} <kbd>J</kbd></a
      >
      <a class="btn" href="/${q}">${t(lang, 'backToQueue')}</a>
    </div>
  </div>`;

  const mailCard = html`<div class="card">
    <h2>${t(lang, 'mail')} #${v.mail.id}</h2>
    <dl class="facts">
      <dt>${t(lang, 'from')}</dt>
      <dd>${v.mail.from ?? ''}</dd>
      <dt>${t(lang, 'subject')}</dt>
      <dd>${v.mail.subject ?? ''}</dd>
      <dt>${t(lang, 'received')}</dt>
      <dd>
        ${when(v.mail.receivedAt, election)}
        ${s.late ? html`<span class="tag grey">${t(lang, 'late')}</span>` : ''}
      </dd>
      <dt>${t(lang, 'attachment')}</dt>
      <dd>
        ${v.attachment.filename ?? `#${v.attachment.id}`} ·
        <a href="/pages/${v.page.id}">${t(lang, 'page')} ${v.page.pageNo}</a> ·
        <a href="/attachments/${v.attachment.id}/original" id="original">${t(lang, 'original')}</a>
      </dd>
    </dl>
    <p class="small"><a href="/mails/${v.mail.id}">${t(lang, 'viewMail')} →</a></p>
  </div>`;

  const machineReasons =
    r.verdictStatus === 'review' ? r.reviewReasons : r.verdictReason ? [r.verdictReason] : [];
  const manual = r.method === MANUAL_METHOD;
  const machineCard = html`<div class="card" id="machine">
    <h2>
      ${t(lang, 'machineReading')}${manual ? html` · <span class="tag person">${t(lang, 'enteredByStaff')}</span>` : ''}
    </h2>
    <dl class="facts">
      <dt>${t(lang, 'currentState')}</dt>
      <dd>${statusTag(lang, s.status)} ${s.reason ? reason(lang, s.reason) : ''}</dd>
      <dt>${t(lang, 'machineReading')}</dt>
      <dd>
        ${statusTag(lang, r.verdictStatus)}
        ${reasonTags(lang, machineReasons, r.verdictStatus === 'review' ? 'review' : 'invalid')}
      </dd>
      <dt>${t(lang, 'confidence')}</dt>
      <dd>${meter(r.confidence)}</dd>
      <dt>${t(lang, 'marks')}</dt>
      <dd>
        ${r.marks.length ? r.marks.join(', ') : t(lang, 'noMarks')}
        ${
          r.cells.some((c) => c.decision === 'uncertain')
            ? html` ·
                <span class="tag review"
                  >${t(lang, 'legendUncertain')}:
                  ${r.cells
                    .filter((c) => c.decision === 'uncertain')
                    .map((c) => c.number)
                    .join(', ')}</span
                >`
            : ''
        }
      </dd>
      ${
        r.notes.length
          ? html`<dt>${t(lang, 'notes')}</dt>
              <dd class="small">${r.notes.join(';')}</dd>`
          : ''
      }
    </dl>
  </div>`;

  const kinds = election.ballots;
  const cellOf = new Map(r.cells.map((c) => [c.number, c]));
  const fieldsets = kinds.map((k) => {
    const selected = new Set(s.kind === k.kind ? s.marks : []);
    const fromReading = k.kind === r.kind;
    return html`<fieldset
      class="items ${k.items.length <= 12 ? 'few' : ''}"
      data-kind="${k.kind}"
      data-max="${k.maxMarks}"
      ${k.kind === s.kind ? '' : 'hidden'}
    >
      ${k.items.map((it) => {
        const c = fromReading ? cellOf.get(it.number) : undefined;
        const on = selected.has(it.number);
        const machineOn = fromReading && r.marks.includes(it.number);
        return html`<label
          class="item d-${c?.decision ?? 'none'}${on ? ' on' : ''}"
          data-n="${it.number}"
          data-machine="${machineOn ? 1 : 0}"
        >
          <input type="checkbox" name="mark_${k.kind}" value="${it.number}" ${on ? 'checked' : ''} />
          <span class="no">${it.number}</span
          ><span class="nm">${it.name}</span>
          ${c ? html`<span class="sc">${c.score.toFixed(2)}</span>` : ''}</label
        >`;
      })}
    </fieldset>`;
  });
  const current = ballotKind(election, s.kind);
  const overLabel = reason(lang, 'overvote');
  const decideCard = canDecide
    ? html`<div class="card">
        <h2>${t(lang, 'yourReading')}</h2>
        <form
          method="post"
          action="/ballots/${id}/decide"
          id="decide"
          data-tpl-count="${t(lang, 'selectedCount')}"
          data-tpl-over="${t(lang, 'overLimitHint', { label: overLabel })}"
          data-tpl-blank="${t(lang, 'blankHint')}"
          data-confirm-not="${t(lang, 'confirmNotBallot')}"
          data-confirm-invalid="${t(lang, 'confirmInvalid')}"
        >
          ${csrfField(ctx)}
          <input type="hidden" name="seenReading" value="${r.id}" />
          <input type="hidden" name="seenAdjudication" value="${s.adjudicationId ?? ''}" />
          <input type="hidden" name="q" value="${o.queryString}" />
          ${
            kinds.length > 1
              ? html`<p class="kindrow">
                  <label
                    >${t(lang, 'kindLabel')}:
                    <select name="kind" id="kind">
                      ${kinds.map((k) => html`<option value="${k.kind}" ${k.kind === s.kind ? 'selected' : ''}>${k.label[lang]}</option>`)}
                    </select></label
                  >
                </p>`
              : html`<input type="hidden" name="kind" value="${s.kind}" />`
          }
          ${fieldsets}
          <div class="selcount" id="selcount">
            ${t(lang, 'selectedCount', { n: s.marks.length, max: current?.maxMarks ?? 0 })}
          </div>
          <div class="hint" id="hint"></div>
          <textarea
            name="note"
            id="note"
            aria-label="${t(lang, 'note')}"
            placeholder="${t(lang, 'note')}:${t(lang, 'notePlaceholder')}"
          ></textarea>
          <div class="actions">
            <button class="btn good big" name="outcome" value="accept" id="accept">
              <kbd>A</kbd> ${t(lang, 'accept')}
            </button>
            <button class="btn warn big" type="button" id="invalid-open">
              <kbd>I</kbd> ${t(lang, 'markInvalid')}
            </button>
            <button class="btn big" name="outcome" value="not_a_ballot" id="not-ballot">
              <kbd>N</kbd> ${t(lang, 'notABallot')}
            </button>
          </div>
          <div class="invalid-panel" id="invalid-panel" hidden>
            <div class="row">
              <label
                >${t(lang, 'invalidReason')}:
                <select name="reason" id="reason">
                  ${STAFF_INVALID.map((c) => html`<option value="${c}">${reason(lang, c)}</option>`)}
                </select></label
              >
              <button class="btn warn" name="outcome" value="invalid" id="invalid-submit">
                ${t(lang, 'markInvalid')}
              </button>
            </div>
          </div>
          ${
            isAdmin && s.decidedBy === 'person' && s.origin !== 'staff'
              ? html`<div class="actions">
                  <button class="btn" name="outcome" value="machine" id="hand-back">
                    ${t(lang, 'handBack')}
                  </button>
                </div>`
              : ''
          }
          <p class="keys">${t(lang, 'shortcuts')}</p>
        </form>
      </div>`
    : html`<div class="card"><p class="flash err" id="read-only">${t(lang, 'readOnlyDecided')}</p></div>`;

  const reprocessCard = o.canReprocess
    ? html`<div class="card">
        <div class="actions">
          <form method="post" action="/ballots/${id}/reprocess">
            ${csrfField(ctx)}<button class="btn">${t(lang, 'reprocessBallot')}</button>
          </form>
          <form method="post" action="/mails/${v.mail.id}/reprocess">
            ${csrfField(ctx)}<button class="btn">${t(lang, 'reprocessMail')}</button>
          </form>
        </div>
      </div>`
    : '';

  const historyCard = html`<div class="card" id="history">
    <h2>${t(lang, 'history')}</h2>
    <ol class="history">
      ${v.history.map(
        (h) =>
          html`<li data-action="${h.action}">
            <span class="muted small">${when(h.at, election)}</span> <b>${h.actor}</b>
            <span class="mono">${h.action}</span> ${historyLine(lang, h)}
          </li>`,
      )}
    </ol>
  </div>`;

  const body = html`${head}${o.flash ?? ''}
    <div class="ballot-grid">
      <div>${imagePanel(ctx, election, v)}${pagePanel(ctx, v)}</div>
      <div>${decideCard}${machineCard}${mailCard}${reprocessCard}${historyCard}</div>
    </div>`;
  return page(ctx, { title: `${t(lang, 'ballot')} #${id}`, nav: 'queue', body, script: BALLOT_SCRIPT });
}

/**
 * The reviewer's hands: click a cell or a name to toggle it, see the count against the limit,
 * and the keyboard path (A, I, N, J/K, digits). Everything still works as a plain form without it.
 */
const BALLOT_SCRIPT = `
(function () {
  var form = document.getElementById('decide');
  var svg = document.getElementById('ballot-svg');
  var prev = document.getElementById('prev'), next = document.getElementById('next');
  function go(a) { if (a && a.getAttribute('href') !== '#') location.href = a.getAttribute('href'); }
  if (!form) {
    document.addEventListener('keydown', function (ev) {
      if (ev.key === 'j' || ev.key === 'J') go(next); else if (ev.key === 'k' || ev.key === 'K') go(prev);
    });
    return;
  }
  var kindSel = form.elements.namedItem('kind');
  var panel = document.getElementById('invalid-panel');
  function kind() { return kindSel.value; }
  function set() { return form.querySelector('fieldset[data-kind="' + kind() + '"]'); }
  function box(n) { return set().querySelector('input[value="' + n + '"]'); }
  function fmt(tpl, v) { return tpl.replace(/\\{(\\w+)\\}/g, function (m, k) { return k in v ? v[k] : m; }); }
  function refresh() {
    form.querySelectorAll('fieldset[data-kind]').forEach(function (f) { f.hidden = f.dataset.kind !== kind(); });
    var fs = set(), max = Number(fs.dataset.max), n = 0;
    fs.querySelectorAll('label.item').forEach(function (l) {
      var on = l.querySelector('input').checked; if (on) n++;
      l.classList.toggle('on', on);
      l.classList.toggle('changed', on !== (l.dataset.machine === '1'));
    });
    if (svg) svg.querySelectorAll('rect.cell').forEach(function (r) {
      var b = svg.dataset.kind === kind() ? box(r.dataset.n) : null;
      r.classList.toggle('sel', !!(b && b.checked));
    });
    var c = document.getElementById('selcount');
    c.textContent = fmt(form.dataset.tplCount, { n: n, max: max });
    c.classList.toggle('over', n > max);
    document.getElementById('hint').textContent = n > max ? form.dataset.tplOver : n === 0 ? form.dataset.tplBlank : '';
  }
  function toggle(n) { var b = box(n); if (b) { b.checked = !b.checked; refresh(); } }
  form.addEventListener('change', refresh);
  if (svg) svg.addEventListener('click', function (ev) {
    var r = ev.target.closest('rect.cell'); if (r && svg.dataset.kind === kind()) toggle(r.dataset.n);
  });
  document.getElementById('invalid-open').addEventListener('click', function () {
    panel.hidden = !panel.hidden; if (!panel.hidden) document.getElementById('reason').focus();
  });
  form.addEventListener('submit', function (ev) {
    var s = ev.submitter ? ev.submitter.value : '';
    if (s === 'not_a_ballot' && !confirm(form.dataset.confirmNot)) ev.preventDefault();
    if (s === 'invalid' && !confirm(form.dataset.confirmInvalid)) ev.preventDefault();
  });
  var digits = '', timer = null;
  function flush() { if (digits) toggle(Number(digits)); digits = ''; timer = null; }
  document.addEventListener('keydown', function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.target.closest('input[type=text], textarea, select')) { if (ev.key === 'Escape') ev.target.blur(); return; }
    var k = ev.key;
    if (/^[0-9]$/.test(k)) {
      ev.preventDefault();
      digits += k; if (timer) clearTimeout(timer);
      var n = Number(digits), longer = false;
      set().querySelectorAll('input').forEach(function (b) { if (Number(b.value) > n && b.value.indexOf(digits) === 0) longer = true; });
      if (longer && digits.length < 2) timer = setTimeout(flush, 700); else flush();
      return;
    }
    if (k === 'a' || k === 'A') { ev.preventDefault(); form.requestSubmit(document.getElementById('accept')); }
    else if (k === 'i' || k === 'I') { ev.preventDefault(); panel.hidden = false; document.getElementById('reason').focus(); }
    else if (k === 'n' || k === 'N') { ev.preventDefault(); form.requestSubmit(document.getElementById('not-ballot')); }
    else if (k === 'j' || k === 'J') go(next);
    else if (k === 'k' || k === 'K') go(prev);
    else if (k === 'Escape') panel.hidden = true;
  });
  if (kindSel.tagName === 'SELECT') kindSel.addEventListener('change', refresh);
  refresh();
})();
`;
