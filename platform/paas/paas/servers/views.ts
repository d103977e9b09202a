import { CSRF_FIELD } from '../../common/csrf/csrf';
import { html, type SafeHtml } from '../../common/html/html';
import { t } from '../../common/i18n';
import type { EngineServer } from '../release/engine';

const hidden = (csrf: string) => html`<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">`;

/** The app server registry: list with activate/health actions, and the add form. */
export function serversPage(servers: readonly EngineServer[], csrf: string): SafeHtml {
  const rows = servers.map(
    (
      s,
    ) => html`<tr id="server-${s.id}"><td>${s.name}</td><td class="mono">${s.ip}:${s.agent_port}</td><td>${s.web_port}</td>
<td>${s.mode === 'test' ? t('servers.env_test') : t('servers.env_prod')}</td>
<td><span class="tag">${s.is_active ? t('servers.active') : t('servers.inactive')}</span></td><td class="mono small">${s.mac || '—'}</td>
<td class="mono small">${s.sid}<br>${s.token}</td>
<td><form method="post" action="/engine/server/active/">${hidden(csrf)}<input type="hidden" name="server_id" value="${String(s.id)}"><button type="submit" class="plain" ${s.is_active ? 'disabled' : ''}>${t('servers.activate')}</button></form>
<form method="post" action="/engine/server/${String(s.id)}/healthz/">${hidden(csrf)}<button type="submit" class="plain">${t('servers.check_health')}</button></form></td></tr>`,
  );
  return html`<h1>${t('servers.title')}</h1>
<p class="muted">${t('servers.intro')}</p>
${
  servers.length
    ? html`<div class="scroll"><table id="servers"><thead><tr><th>${t('servers.col_name')}</th><th>${t('servers.col_agent')}</th><th>${t('servers.col_app_port')}</th><th>${t('servers.col_env')}</th><th>${t('servers.col_state')}</th><th>${t('servers.col_mac')}</th><th>${t('servers.col_sid')}</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>`
    : html`<div class="card muted">${t('servers.none')}</div>`
}
<form class="card stack" method="post" action="/engine/server/">${hidden(csrf)}<h2>${t('servers.add')}</h2>
<label for="agent_ip">${t('servers.f_ip')}</label><input id="agent_ip" name="agent_ip" required>
<label for="agent_port">${t('servers.f_agent_port')}</label><input id="agent_port" name="agent_port" value="4245">
<label for="web_port">${t('servers.f_web_port')}</label><input id="web_port" name="web_port" value="8085">
<label for="mode">${t('servers.f_env')}</label><select id="mode" name="mode"><option value="test">${t('servers.env_test')}</option><option value="prod">${t('servers.env_prod')}</option></select>
<button type="submit">${t('servers.add_button')}</button></form>`;
}
