import { CSRF_FIELD } from '../../common/csrf/csrf';
import { html, type SafeHtml } from '../../common/html/html';
import type { EngineServer } from '../release/engine';

const hidden = (csrf: string) => html`<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">`;

/** The app server registry: list with activate/health actions, and the add form. */
export function serversPage(servers: readonly EngineServer[], csrf: string): SafeHtml {
  const rows = servers.map(
    (
      s,
    ) => html`<tr id="server-${s.id}"><td>${s.name}</td><td class="mono">${s.ip}:${s.agent_port}</td><td>${s.web_port}</td>
<td>${s.mode === 'test' ? 'test (tapp)' : 'production (app)'}</td>
<td><span class="tag">${s.is_active ? 'active' : 'inactive'}</span></td><td class="mono small">${s.mac || '—'}</td>
<td class="mono small">${s.sid}<br>${s.token}</td>
<td><form method="post" action="/engine/server/active/">${hidden(csrf)}<input type="hidden" name="server_id" value="${String(s.id)}"><button type="submit" class="plain" ${s.is_active ? 'disabled' : ''}>Activate</button></form>
<form method="post" action="/engine/server/${String(s.id)}/healthz/">${hidden(csrf)}<button type="submit" class="plain">Check health</button></form></td></tr>`,
  );
  return html`<h1>App servers</h1>
<p class="muted">Agents that run deployed apps: one active server per environment. Put the server ID and token into the agent's config, then activate it.</p>
${
  servers.length
    ? html`<div class="scroll"><table id="servers"><thead><tr><th>Name</th><th>Agent</th><th>App port</th><th>Environment</th><th>State</th><th>MAC</th><th>Server ID / token</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>`
    : html`<div class="card muted">No app servers yet.</div>`
}
<form class="card stack" method="post" action="/engine/server/">${hidden(csrf)}<h2>Add a server</h2>
<label for="agent_ip">IP address</label><input id="agent_ip" name="agent_ip" required>
<label for="agent_port">Agent port</label><input id="agent_port" name="agent_port" value="4245">
<label for="web_port">App (nginx) port</label><input id="web_port" name="web_port" value="8085">
<label for="mode">Environment</label><select id="mode" name="mode"><option value="test">test (tapp)</option><option value="prod">production (app)</option></select>
<button type="submit">Add server</button></form>`;
}
