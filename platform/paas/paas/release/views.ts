import { CSRF_FIELD } from '../../common/csrf/csrf';
import { html, type SafeHtml } from '../../common/html/html';
import { STATES } from '../apps/rules';
import type { App } from '../apps/store';
import { refusal } from './machine';
import type { ReleaseRecord } from './store';

const hidden = (csrf: string) => html`<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">`;
const OPS: Record<number, string> = {
  0: 'deployed to test',
  1: 'released to production',
  2: 'taken offline',
  3: 'deploying to test',
  4: 'releasing to production',
  5: 'taking offline',
};

/** One line per record: when, who, what, outcome. */
export function historyTable(code: string, recs: readonly ReleaseRecord[]): SafeHtml {
  if (recs.length === 0) return html`<p class="muted">No deploys yet.</p>`;
  return html`<div class="scroll"><table id="release-history"><thead><tr><th>Time</th><th>User</th><th>Operation</th><th>Result</th><th>Version</th><th>Log</th></tr></thead><tbody>
${recs.map((r) => {
  const what =
    r.extra.op === 'offline'
      ? `${OPS[r.operate_id] ?? r.operate_id} (${r.extra.mode})`
      : (OPS[r.operate_id] ?? String(r.operate_id));
  const result = !r.is_done ? 'running' : r.is_success ? 'success' : 'failed';
  return html`<tr><td>${r.operate_time.toISOString().replace('T', ' ').slice(0, 19)}</td><td>${r.operate_user}</td><td>${what}</td>
<td><span class="tag">${result}</span></td><td>${r.version || '—'}</td><td>${r.event_id ? html`<a href="/release/${code}/?record=${r.id}">view</a>` : (r.message ?? '')}</td></tr>`;
})}</tbody></table></div>`;
}

/** The deploy page: state, buttons allowed by the state machine, the log of one record, history. */
export function releasePage(o: {
  app: App;
  csrf: string;
  active: Set<string>;
  shown?: ReleaseRecord;
  recs: readonly ReleaseRecord[];
  testUrl: string;
  prodUrl: string;
}): SafeHtml {
  const a = o.app;
  const why = {
    test: refusal(a, 'test') ?? (o.active.has('test') ? null : 'no active test server'),
    online: refusal(a, 'online') ?? (o.active.has('prod') ? null : 'no active production server'),
    offline: refusal(a, 'offline'),
  };
  const button = (op: 'test' | 'online', label: string) =>
    html`<form class="card stack" method="post" action="/release/${a.code}/${op}/">${hidden(o.csrf)}<h2>${label}</h2>
${op === 'online' ? html`<label for="features">New features</label><textarea id="features" name="features"></textarea><label for="bugs">Fixed bugs</label><textarea id="bugs" name="bugs"></textarea>` : ''}
${why[op] ? html`<p class="muted small">Not possible now: ${why[op]}.</p>` : ''}
<button type="submit" id="btn-${op}" ${why[op] ? 'disabled' : ''}>${label}</button></form>`;
  const log = o.shown
    ? html`<div class="card"><h2>Log of #${o.shown.id} <span class="tag" id="release-status" data-status="${o.shown.is_done ? String(o.shown.is_success) : '2'}">${
        o.shown.is_done ? (o.shown.is_success ? 'succeeded' : 'failed') : 'running'
      }</span></h2>
<pre class="scroll mono" id="release-log" data-src="${o.shown.is_done ? '' : `/release/${a.code}/task/?event_id=${o.shown.event_id ?? ''}`}">${o.shown.message ?? ''}</pre></div>
<script src="/release/static/poll.js" defer></script>`
    : '';
  return html`<h1>Deploy ${a.name} <span class="muted small mono">${a.code}</span></h1>
<p class="row small"><a href="/app/${a.code}/info/">Basic info</a> <a href="/app/${a.code}/env/">Environment variables</a> <strong>Deploy</strong></p>
<div class="card"><dl class="kv"><dt>State</dt><dd><span class="tag" id="app-state">${STATES[a.state] ?? a.state}</span></dd>
<dt>Test</dt><dd>${a.is_already_test ? html`<a class="mono" href="${o.testUrl}">${o.testUrl}</a>` : 'not deployed'}</dd>
<dt>Production</dt><dd>${a.is_already_online ? html`<a class="mono" href="${o.prodUrl}">${o.prodUrl}</a>` : 'not deployed'}</dd></dl></div>
${log}
<div class="grid">${button('test', 'Deploy to test')}${button('online', 'Deploy to production')}
<form class="card stack" method="post" action="/release/${a.code}/offline/" data-confirm="Take ${a.code} offline?">${hidden(o.csrf)}<h2>Offline</h2>
<label for="mode">Environment</label><select id="mode" name="mode"><option value="all">test and production</option><option value="test">test</option><option value="prod">production</option></select>
${why.offline ? html`<p class="muted small">Not possible now: ${why.offline}.</p>` : ''}
<button type="submit" class="danger" id="btn-offline" ${why.offline ? 'disabled' : ''}>Take offline</button></form></div>
<h2>Release history</h2>${historyTable(a.code, o.recs)}`;
}
