import { CSRF_FIELD } from '../../common/csrf/csrf';
import { html, type SafeHtml } from '../../common/html/html';
import { formatDateTime, type MessageKey, t } from '../../common/i18n';
import { stateLabel } from '../apps/labels';
import type { App } from '../apps/store';
import { localizeLog } from './loglines';
import { refusal } from './machine';
import type { ReleaseRecord } from './store';

const hidden = (csrf: string) => html`<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">`;
const OPS: Record<number, MessageKey> = {
  0: 'release.op_0',
  1: 'release.op_1',
  2: 'release.op_2',
  3: 'release.op_3',
  4: 'release.op_4',
  5: 'release.op_5',
};
const MODES: Record<string, MessageKey> = {
  all: 'release.env_all',
  test: 'release.env_test',
  prod: 'release.env_prod',
};
const opLabel = (id: number) => (OPS[id] ? t(OPS[id]) : String(id));

/** One line per record: when, who, what, outcome. */
export function historyTable(code: string, recs: readonly ReleaseRecord[]): SafeHtml {
  if (recs.length === 0) return html`<p class="muted">${t('release.no_deploys')}</p>`;
  return html`<div class="scroll"><table id="release-history"><thead><tr><th>${t('release.col_time')}</th><th>${t('release.col_user')}</th><th>${t('release.col_op')}</th><th>${t('release.col_result')}</th><th>${t('release.col_version')}</th><th>${t('release.col_log')}</th></tr></thead><tbody>
${recs.map((r) => {
  const mode = MODES[r.extra.mode ?? ''];
  const what =
    r.extra.op === 'offline'
      ? t('release.op_offline', { op: opLabel(r.operate_id), mode: mode ? t(mode) : String(r.extra.mode) })
      : opLabel(r.operate_id);
  const result = !r.is_done
    ? t('release.running')
    : r.is_success
      ? t('release.success')
      : t('release.failed');
  return html`<tr><td>${formatDateTime(r.operate_time)}</td><td>${r.operate_user}</td><td>${what}</td>
<td><span class="tag">${result}</span></td><td>${r.version || '—'}</td><td>${r.event_id ? html`<a href="/release/${code}/?record=${r.id}">${t('release.view')}</a>` : localizeLog(r.message ?? '')}</td></tr>`;
})}</tbody></table></div>`;
}

/** Checkboxes of the deploy-to-test form: run a Celery worker, and beat, beside the app. */
const celeryFields = (c: { is_use_celery: boolean; is_use_celery_beat: boolean }) =>
  html`<label class="check"><input type="checkbox" id="is_use_celery" name="is_use_celery" value="1" ${c.is_use_celery ? 'checked' : ''}> ${t('release.use_celery')}</label>
<label class="check"><input type="checkbox" id="is_use_celery_beat" name="is_use_celery_beat" value="1" ${c.is_use_celery_beat ? 'checked' : ''}> ${t('release.use_celery_beat')}</label>`;

/** The deploy page: state, buttons allowed by the state machine, the log of one record, history. */
export function releasePage(o: {
  app: App;
  csrf: string;
  active: Set<string>;
  shown?: ReleaseRecord;
  recs: readonly ReleaseRecord[];
  testUrl: string;
  prodUrl: string;
  /** A git app's Celery settings (S-mart apps take them from app.yml: undefined). */
  celery?: { is_use_celery: boolean; is_use_celery_beat: boolean };
}): SafeHtml {
  const a = o.app;
  const why = {
    test: refusal(a, 'test') ?? (o.active.has('test') ? null : t('release.no_test_server')),
    online: refusal(a, 'online') ?? (o.active.has('prod') ? null : t('release.no_prod_server')),
    offline: refusal(a, 'offline'),
  };
  const button = (op: 'test' | 'online', label: string) =>
    html`<form class="card stack" method="post" action="/release/${a.code}/${op}/">${hidden(o.csrf)}<h2>${label}</h2>
${op === 'test' && o.celery ? celeryFields(o.celery) : ''}
${op === 'online' ? html`<label for="features">${t('release.features')}</label><textarea id="features" name="features"></textarea><label for="bugs">${t('release.bugs')}</label><textarea id="bugs" name="bugs"></textarea>` : ''}
${why[op] ? html`<p class="muted small">${t('release.not_possible', { why: why[op] })}</p>` : ''}
<button type="submit" id="btn-${op}" ${why[op] ? 'disabled' : ''}>${label}</button></form>`;
  // the poll script shows status names from data-names (0 failed, 1 succeeded, 2 running)
  const names = JSON.stringify({
    0: t('release.failed'),
    1: t('release.succeeded'),
    2: t('release.running'),
    error: t('js.polling_failed'),
  });
  const log = o.shown
    ? html`<div class="card"><h2>${t('release.log_of', { id: o.shown.id })} <span class="tag" id="release-status" data-names="${names}" data-status="${o.shown.is_done ? String(o.shown.is_success) : '2'}">${
        o.shown.is_done
          ? o.shown.is_success
            ? t('release.succeeded')
            : t('release.failed')
          : t('release.running')
      }</span></h2>
<pre class="scroll mono" id="release-log" data-src="${o.shown.is_done ? '' : `/release/${a.code}/task/?event_id=${o.shown.event_id ?? ''}`}">${localizeLog(o.shown.message ?? '')}</pre></div>
<script src="/release/static/poll.js" defer></script>`
    : '';
  return html`<h1>${t('release.title', { name: a.name })} <span class="muted small mono">${a.code}</span></h1>
<p class="row small"><a href="/app/${a.code}/info/">${t('apps.tab_info')}</a> <a href="/app/${a.code}/env/">${t('apps.tab_env')}</a> <strong>${t('apps.tab_release')}</strong></p>
<div class="card"><dl class="kv"><dt>${t('release.k_state')}</dt><dd><span class="tag" id="app-state">${stateLabel(a.state)}</span></dd>
<dt>${t('release.k_test')}</dt><dd>${a.is_already_test ? html`<a class="mono" href="${o.testUrl}">${o.testUrl}</a>` : t('release.not_deployed')}</dd>
<dt>${t('release.k_prod')}</dt><dd>${a.is_already_online ? html`<a class="mono" href="${o.prodUrl}">${o.prodUrl}</a>` : t('release.not_deployed')}</dd></dl></div>
${log}
<div class="grid">${button('test', t('release.deploy_test'))}${button('online', t('release.deploy_prod'))}
<form class="card stack" method="post" action="/release/${a.code}/offline/" data-confirm="${t('release.offline_confirm', { code: a.code })}">${hidden(o.csrf)}<h2>${t('release.offline')}</h2>
<label for="mode">${t('release.f_env')}</label><select id="mode" name="mode"><option value="all">${t('release.env_all')}</option><option value="test">${t('release.env_test')}</option><option value="prod">${t('release.env_prod')}</option></select>
${why.offline ? html`<p class="muted small">${t('release.not_possible', { why: why.offline })}</p>` : ''}
<button type="submit" class="danger" id="btn-offline" ${why.offline ? 'disabled' : ''}>${t('release.take_offline')}</button></form></div>
<h2>${t('release.history')}</h2>${historyTable(a.code, o.recs)}`;
}
