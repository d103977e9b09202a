import { CSRF_FIELD } from '../../common/csrf/csrf';
import { html, type SafeHtml } from '../../common/html/html';
import { page } from '../../common/html/layout';
import { t } from '../../common/i18n';
import { SITE } from '../context';

/** The sign-in form; posts back to the same URL so `c_url` stays in the query. */
export function loginPage(o: {
  action: string;
  csrf: string;
  username?: string;
  error?: string;
  info?: string;
}): SafeHtml {
  return page({
    title: t('login.title'),
    site: SITE,
    narrow: true,
    flash: o.error ? { kind: 'error', text: o.error } : o.info ? { kind: 'ok', text: o.info } : undefined,
    body: html`<div class="card">
<h1>${t('login.heading')}</h1>
<form class="stack" method="post" action="${o.action}" autocomplete="on">
<input type="hidden" name="${CSRF_FIELD}" value="${o.csrf}">
<label for="username">${t('login.username')}</label>
<input id="username" name="username" required autofocus autocomplete="username" value="${o.username ?? ''}">
<label for="password">${t('login.password')}</label>
<input id="password" name="password" type="password" required autocomplete="current-password">
<button type="submit">${t('login.submit')}</button>
</form></div>`,
  });
}
