import { type Html, html } from './html.js';
import { t } from './i18n.js';
import { type PageContext, page } from './layout.js';

export function loginPage(
  ctx: PageContext,
  o: { loginCsrf: string; next: string; error: Html | null; name: string },
): string {
  const { lang } = ctx;
  return page(ctx, {
    title: t(lang, 'loginTitle'),
    nav: null,
    body: html`<div class="card login">
      <h1>${t(lang, 'loginTitle')}</h1>
      ${o.error ?? ''}
      <form method="post" action="/login">
        <input type="hidden" name="_csrf" value="${o.loginCsrf}" />
        <input type="hidden" name="next" value="${o.next}" />
        <label
          >${t(lang, 'userName')}<input
            name="name"
            autocomplete="username"
            autofocus
            required
            value="${o.name}"
        /></label>
        <label
          >${t(lang, 'password')}<input
            name="password"
            type="password"
            autocomplete="current-password"
            required
        /></label>
        <button class="btn primary big">${t(lang, 'login')}</button>
      </form>
    </div>`,
  });
}
