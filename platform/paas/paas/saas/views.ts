import { CSRF_FIELD } from '../../common/csrf/csrf';
import { html, type SafeHtml } from '../../common/html/html';
import { t } from '../../common/i18n';

/** The S-mart upload form (multipart: the CSRF field, then the package). */
export function uploadForm(csrf: string): SafeHtml {
  return html`<h1>${t('saas.title')}</h1>
<form class="card stack" method="post" action="/saas/upload/" enctype="multipart/form-data">
<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">
<p class="muted small">${t('saas.help')}</p>
<label for="package">${t('saas.f_package')}</label><input id="package" name="package" type="file" accept=".tar.gz,.tgz,application/gzip" required>
<button type="submit">${t('saas.upload')}</button></form>`;
}
