import { CSRF_FIELD } from '../../common/csrf/csrf';
import { html, type SafeHtml } from '../../common/html/html';
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
  return html`<h1>ESB administration</h1>
<form class="card stack" method="post" action="/admin/esb/whitelist/">${hidden(o.csrf)}
<h2>Apps that skip user authentication</h2>
<p class="muted small">Listed apps may call ESB with bk_username instead of a bk_token, i.e. act as any user. Keep this list short.</p>
<label for="wlist">App codes (separated by , or ;)</label><textarea id="wlist" name="wlist">${o.wl.wlist}</textarea>
<label for="switch_status">Whitelist</label><select id="switch_status" name="switch_status">
<option value="1" ${o.wl.switch_status ? 'selected' : ''}>on</option><option value="0" ${o.wl.switch_status ? '' : 'selected'}>off</option></select>
<button type="submit">Save whitelist</button></form>
<div class="card"><h2>ESB app accounts</h2>
<div class="scroll"><table><thead><tr><th>App code</th><th>Introduction</th><th>Created</th><th></th></tr></thead><tbody>
${o.accounts.map(
  (
    a,
  ) => html`<tr><td class="mono">${a.app_code}</td><td>${a.introduction ?? ''}</td><td>${a.created_time.toISOString().slice(0, 10)}</td>
<td><form class="inline" method="post" action="/admin/esb/app_accounts/${a.id}/delete/" data-confirm="Delete ${a.app_code}?">${hidden(o.csrf)}<button class="danger" type="submit">Delete</button></form></td></tr>`,
)}${o.accounts.length === 0 ? html`<tr><td colspan="4" class="muted">No accounts.</td></tr>` : ''}</tbody></table></div>
<form class="stack" method="post" action="/admin/esb/app_accounts/">${hidden(o.csrf)}
<label for="app_code">App code</label><input id="app_code" name="app_code" required>
<label for="app_token">Secret (leave empty to generate one)</label><input id="app_token" name="app_token" autocomplete="off">
<label for="introduction">Introduction</label><input id="introduction" name="introduction">
<button type="submit">Add account</button></form></div>
<div class="card"><h2>Recent changes</h2><div class="scroll"><table><thead><tr><th>When</th><th>Who</th><th>Action</th><th>Target</th><th>Detail</th></tr></thead><tbody>
${o.audit.map((l) => html`<tr><td>${l.created_time.toISOString().replace('T', ' ').slice(0, 19)}</td><td>${l.operator}</td><td>${l.action}</td><td class="mono">${l.target}</td><td>${l.detail}</td></tr>`)}
</tbody></table></div></div>`;
}
