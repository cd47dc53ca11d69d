import type { Election } from '../election/election.js';
import { kindLabel, reasonTags, statusTag, when } from './format.js';
import { type Html, html } from './html.js';
import { type LabelKey, LABELS, type Lang, t } from './i18n.js';

function label(lang: Lang, key: string, fallback: string): string {
  return key in LABELS ? t(lang, key as LabelKey) : fallback;
}
import { type PageContext, csrfField, page } from './layout.js';
import type { MailView } from './mail-view.js';

export function mailPage(
  ctx: PageContext,
  election: Election,
  v: MailView,
  o: { canReprocess: boolean; flash: Html | null },
): string {
  const { lang } = ctx;
  const m = v.mail;
  const facts = html`<div class="card">
    <dl class="facts">
      <dt>${t(lang, 'from')}</dt>
      <dd>${m.from ?? ''}</dd>
      <dt>${t(lang, 'subject')}</dt>
      <dd>${m.subject ?? ''}</dd>
      <dt>${t(lang, 'received')}</dt>
      <dd>
        ${when(m.receivedAt, election)}
        ${m.late ? html`<span class="tag grey">${t(lang, 'late')}</span>` : ''}
        ${m.duplicateOf ? html`<span class="tag grey">${t(lang, 'duplicate')} → <a href="/mails/${m.duplicateOf}">#${m.duplicateOf}</a></span>` : ''}
      </dd>
      <dt>${t(lang, 'mailStatus')}</dt>
      <dd>
        ${label(lang, `mail_${m.status}`, m.status)} ${m.reason ? reasonTags(lang, [m.reason]) : ''}
        ${m.error ? html`<span class="small mono">${m.error}</span>` : ''}
      </dd>
      <dt>Message-ID</dt>
      <dd class="mono">${m.messageId ?? ''}</dd>
    </dl>
    <div class="actions">
      <a class="btn" href="/mails/${m.id}/original">${t(lang, 'original')} (.eml)</a>
      ${
        o.canReprocess
          ? html`<form method="post" action="/mails/${m.id}/reprocess">
              ${csrfField(ctx)}<button class="btn">${t(lang, 'reprocessMail')}</button>
            </form>`
          : ''
      }
    </div>
  </div>`;

  const attachments = v.attachments.map(
    (a) =>
      html`<div class="card" id="att-${a.id}">
        <h2>
          ${t(lang, 'attachment')} #${a.id} · ${a.filename ?? ''}
          <span class="muted small">${a.format ?? ''} · ${Math.ceil(a.size / 1024)} KB</span>
        </h2>
        <p>
          ${a.status === 'rejected' ? html`<span class="tag invalid">${label(lang, `att_${a.status}`, a.status)}</span>` : html`<span class="tag grey">${label(lang, `att_${a.status}`, a.status)}</span>`}
          ${a.reason ? reasonTags(lang, [a.reason]) : ''}
          ${a.detail ? html`<span class="small muted">${a.detail}</span>` : ''} ·
          <a href="/attachments/${a.id}/original">${t(lang, 'original')}</a>
        </p>
        ${
          a.pages.length
            ? html`<div class="thumbs">
                ${a.pages.map(
                  (p) =>
                    html`<figure id="page-${p.id}">
                      ${p.hasImage ? html`<a href="/pages/${p.id}/image"><img src="/pages/${p.id}/image" alt="${t(lang, 'page')} ${p.pageNo}" loading="lazy" /></a>` : ''}
                      <figcaption>
                        <b>${t(lang, 'page')} ${p.pageNo}</b>
                        ${p.status && p.status !== 'ballots' ? reasonTags(lang, [p.reason ?? p.status]) : ''}
                        <a href="/pages/${p.id}" class="small">${t(lang, 'reviewPage')} →</a>
                        ${p.ballots.map(
                          (b) =>
                            html`<div>
                              <a href="/ballots/${b.ballotId}">${t(lang, 'ballot')} #${b.ballotId}</a>
                              ${kindLabel(election, lang, b.kind)} ${statusTag(lang, b.status)}
                              ${b.decidedBy === 'person' ? html`<span class="tag person">${t(lang, b.origin === 'staff' ? 'enteredByStaff' : 'decidedByPerson')}</span>` : ''}
                            </div>`,
                        )}
                      </figcaption>
                    </figure>`,
                )}
              </div>`
            : ''
        }
      </div>`,
  );
  return page(ctx, {
    title: `${t(lang, 'mail')} #${m.id}`,
    nav: 'queue',
    body: html`<h1>${t(lang, 'mail')} #${m.id}</h1>
      ${o.flash ?? ''}${facts}
      <h2>${t(lang, 'attachments')}</h2>
      ${attachments}`,
  });
}
