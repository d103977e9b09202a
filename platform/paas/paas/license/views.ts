// The license card of the developer center's home page (superusers): days left, a warning near the end.
import { html, type SafeHtml } from '../../common/html/html';
import { formatDate, t } from '../../common/i18n';
import { type CertificateDays, WARN_DAYS } from './days';

export function licenseCard(d: CertificateDays): SafeHtml {
  if (!d.ok)
    return html`<div class="card flash error" id="license">${t('license.unreadable', { error: d.error })}</div>`;
  const until = formatDate(d.validTo);
  if (d.expired)
    return html`<div class="card flash error" id="license">${t('license.expired', { date: until, days: -d.daysLeft })}</div>`;
  const cls = d.daysLeft <= WARN_DAYS ? 'card flash error' : 'card';
  return html`<div class="${cls}" id="license">${t('license.days_left', { date: until, days: d.daysLeft })}</div>`;
}
