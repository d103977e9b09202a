import { CSRF_FIELD } from '../../common/csrf/csrf';
import { html, type SafeHtml } from '../../common/html/html';
import { formatDate, formatDateTime, t } from '../../common/i18n';
import type { AppAccount, Whitelist } from './store';

const hidden = (csrf: string) => html`<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">`;
type AuditLine = { operator: string; action: string; target: string; detail: string; created_time: Date };

/** ESB admin: whitelist, app accounts, recent audit lines. */
export function esbAdmin(o: {
  wl: Whitelist;
  accounts: AppAccount[];
  audit: AuditLine[];
  csrf: string;
}): SafeHtml {
  return html`<h1>${t('esbadmin.title')}</h1>
<form class="card stack" method="post" action="/admin/esb/whitelist/">${hidden(o.csrf)}
<h2>${t('esbadmin.wl_title')}</h2>
<p class="muted small">${t('esbadmin.wl_help')}</p>
<label for="wlist">${t('esbadmin.wl_codes')}</label><textarea id="wlist" name="wlist">${o.wl.wlist}</textarea>
<label for="switch_status">${t('esbadmin.wl_switch')}</label><select id="switch_status" name="switch_status">
<option value="1" ${o.wl.switch_status ? 'selected' : ''}>${t('esbadmin.on')}</option><option value="0" ${o.wl.switch_status ? '' : 'selected'}>${t('esbadmin.off')}</option></select>
<button type="submit">${t('esbadmin.wl_save')}</button></form>
<div class="card"><h2>${t('esbadmin.accounts')}</h2>
<div class="scroll"><table><thead><tr><th>${t('esbadmin.col_code')}</th><th>${t('esbadmin.col_intro')}</th><th>${t('esbadmin.col_created')}</th><th></th></tr></thead><tbody>
${o.accounts.map(
  (
    a,
  ) => html`<tr><td class="mono">${a.app_code}</td><td>${a.introduction ?? ''}</td><td>${formatDate(a.created_time)}</td>
<td><form class="inline" method="post" action="/admin/esb/app_accounts/${a.id}/delete/" data-confirm="${t('esbadmin.delete_confirm', { code: a.app_code })}">${hidden(o.csrf)}<button class="danger" type="submit">${t('esbadmin.delete')}</button></form></td></tr>`,
)}${o.accounts.length === 0 ? html`<tr><td colspan="4" class="muted">${t('esbadmin.no_accounts')}</td></tr>` : ''}</tbody></table></div>
<form class="stack" method="post" action="/admin/esb/app_accounts/">${hidden(o.csrf)}
<label for="app_code">${t('esbadmin.f_code')}</label><input id="app_code" name="app_code" required>
<label for="app_token">${t('esbadmin.f_secret')}</label><input id="app_token" name="app_token" autocomplete="off">
<label for="introduction">${t('esbadmin.f_intro')}</label><input id="introduction" name="introduction">
<button type="submit">${t('esbadmin.add')}</button></form></div>
<div class="card"><h2>${t('esbadmin.recent')}</h2><div class="scroll"><table><thead><tr><th>${t('esbadmin.col_when')}</th><th>${t('esbadmin.col_who')}</th><th>${t('esbadmin.col_action')}</th><th>${t('esbadmin.col_target')}</th><th>${t('esbadmin.col_detail')}</th></tr></thead><tbody>
${o.audit.map((l) => html`<tr><td>${formatDateTime(l.created_time)}</td><td>${l.operator}</td><td>${l.action}</td><td class="mono">${l.target}</td><td>${l.detail}</td></tr>`)}
</tbody></table></div></div>`;
}
