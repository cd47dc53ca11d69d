import { type Child, Html, html, raw } from './html.js';
import { type Lang, t } from './i18n.js';
import { CSS } from './styles.js';

/** What every page needs to know about the request it answers. */
export interface PageContext {
  readonly lang: Lang;
  /** The request path with its query, for the language toggle to come back to. */
  readonly path: string;
  /** Nonce allowed by the Content-Security-Policy for this response's inline script. */
  readonly nonce: string;
  readonly user: { readonly name: string; readonly role: 'reviewer' | 'admin' } | null;
  readonly csrf: string | null;
}

export type NavKey = 'queue' | 'tally' | null;

export function csrfField(ctx: PageContext): Html {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrf ?? ''}" />`;
}

export function page(
  ctx: PageContext,
  opts: { title: string; nav: NavKey; body: Child; script?: string },
): string {
  const other: Lang = ctx.lang === 'zh' ? 'en' : 'zh';
  const toggle = `/lang/${other}?back=${encodeURIComponent(ctx.path)}`;
  const user = ctx.user;
  const header = user
    ? html`<header class="top">
        <a class="brand" href="/">${t(ctx.lang, 'appName')}</a>
        <nav>
          <a href="/" class="${opts.nav === 'queue' ? 'on' : ''}">${t(ctx.lang, 'queue')}</a>
          <a href="/tally" class="${opts.nav === 'tally' ? 'on' : ''}">${t(ctx.lang, 'tally')}</a>
        </nav>
        <div class="who">
          <a href="${toggle}" lang="${other}">${t(ctx.lang, 'language')}</a>
          <span>${user.name} · ${t(ctx.lang, user.role === 'admin' ? 'roleAdmin' : 'roleReviewer')}</span>
          <form method="post" action="/logout">
            ${csrfField(ctx)}<button class="linkbtn">${t(ctx.lang, 'logout')}</button>
          </form>
        </div>
      </header>`
    : html`<header class="top">
        <span class="brand">${t(ctx.lang, 'appName')}</span>
        <nav></nav>
        <div class="who"><a href="${toggle}" lang="${other}">${t(ctx.lang, 'language')}</a></div>
      </header>`;
  const doc = html`<!doctype html>
    <html lang="${ctx.lang === 'zh' ? 'zh-CN' : 'en'}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${opts.title} · ${t(ctx.lang, 'appName')}</title>
        <style nonce="${ctx.nonce}">
          ${raw(CSS)}
        </style>
      </head>
      <body>
        ${header}
        <main>${opts.body}</main>
        ${
          opts.script
            ? html`<script nonce="${ctx.nonce}">
                ${raw(opts.script)};
              </script>`
            : ''
        }
      </body>
    </html>`;
  return doc.value;
}
