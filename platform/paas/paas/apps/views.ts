import { CSRF_FIELD } from '../../common/csrf/csrf';
import { html, type SafeHtml } from '../../common/html/html';
import { formatDate, t } from '../../common/i18n';
import { stateLabel } from './labels';
import type { App, EnvVar } from './store';

const hidden = (csrf: string) => html`<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">`;

/** The create form. */
export function createForm(csrf: string, v: Record<string, string> = {}): SafeHtml {
  return html`<h1>${t('apps.create_title')}</h1><form class="card stack" method="post" action="/app/">${hidden(csrf)}
<label for="code">${t('apps.f_code')}</label><input id="code" name="code" required pattern="[a-z][a-z0-9\\-]{2,15}" value="${v.code ?? ''}">
<p class="muted small">${t('apps.code_help')}</p>
<label for="name">${t('apps.f_name')}</label><input id="name" name="name" required maxlength="20" value="${v.name ?? ''}">
<label for="introduction">${t('apps.f_introduction')}</label><textarea id="introduction" name="introduction">${v.introduction ?? ''}</textarea>
<label for="developer">${t('apps.f_developers')}</label><input id="developer" name="developer" value="${v.developer ?? ''}">
<label for="vcs_url">${t('apps.f_vcs_optional')}</label><input id="vcs_url" name="vcs_url" value="${v.vcs_url ?? ''}">
<button type="submit">${t('apps.create')}</button></form>`;
}

/** Tiles/table of apps. */
export function appTable(apps: readonly App[], empty: string): SafeHtml {
  if (apps.length === 0) return html`<div class="card muted">${empty}</div>`;
  return html`<div class="scroll"><table><thead><tr><th>${t('apps.col_code')}</th><th>${t('apps.col_name')}</th><th>${t('apps.col_state')}</th><th>${t('apps.col_creator')}</th><th>${t('apps.col_created')}</th></tr></thead><tbody>
${apps.map(
  (a) => html`<tr><td><a class="mono" href="/app/${a.code}/info/">${a.code}</a></td><td>${a.name}</td>
<td><span class="tag">${stateLabel(a.state)}</span></td><td>${a.creater}</td><td>${formatDate(a.created_date)}</td></tr>`,
)}</tbody></table></div>`;
}

const tabs = (code: string, on: string) =>
  html`<p class="row small">${[
    ['info', t('apps.tab_info'), `/app/${code}/info/`],
    ['env', t('apps.tab_env'), `/app/${code}/env/`],
    ['release', t('apps.tab_release'), `/release/${code}/`],
  ].map(([k, l, href]) => (k === on ? html`<strong>${l}</strong>` : html`<a href="${href}">${l}</a>`))}</p>`;

/** Info page: code, secret (revealed on demand), state, developers, edit forms, new secret, delete. */
export function infoPage(o: {
  app: App;
  devs: string[];
  vcsUrl: string;
  csrf: string;
  canDelete: boolean;
  testUrl: string;
  prodUrl: string;
}): SafeHtml {
  const a = o.app;
  const labels = html`data-label-show="${t('js.show')}" data-label-hide="${t('js.hide')}" data-label-done="${t('js.copied')}"`;
  return html`<h1>${a.name} <span class="muted small mono">${a.code}</span></h1>${tabs(a.code, 'info')}
<div class="card"><dl class="kv">
<dt>${t('apps.k_code')}</dt><dd class="mono" id="app-code">${a.code}</dd>
<dt>${t('apps.k_secret')}</dt><dd><span class="secret"><code id="app-secret" data-src="/app/${a.code}/secret/">••••••••-••••-••••-••••-••••••••••••</code>
<button type="button" class="plain" data-reveal="app-secret" ${labels}>${t('js.show')}</button><button type="button" class="plain" data-copy="app-secret" ${labels}>${t('js.copy')}</button></span></dd>
<dt>${t('apps.k_state')}</dt><dd><span class="tag">${stateLabel(a.state)}</span></dd>
<dt>${t('apps.k_creator')}</dt><dd>${a.creater}</dd>
<dt>${t('apps.k_developers')}</dt><dd>${o.devs.join('; ')}</dd>
<dt>${t('apps.k_language')}</dt><dd>${a.language}</dd>
<dt>${t('apps.k_test_url')}</dt><dd class="mono">${o.testUrl}</dd><dt>${t('apps.k_prod_url')}</dt><dd class="mono">${o.prodUrl}</dd>
<dt>${t('apps.k_repo')}</dt><dd class="mono">${o.vcsUrl || '—'}</dd>
<dt>${t('apps.k_introduction')}</dt><dd>${a.introduction || '—'}</dd>
</dl></div>
<form class="card stack" method="post" action="/app/${a.code}/">${hidden(o.csrf)}<h2>${t('apps.edit')}</h2>
<label for="name">${t('apps.f_name')}</label><input id="name" name="name" required maxlength="20" value="${a.name}">
<label for="introduction">${t('apps.f_introduction')}</label><textarea id="introduction" name="introduction">${a.introduction}</textarea>
<label for="vcs_url">${t('apps.f_vcs')}</label><input id="vcs_url" name="vcs_url" value="${o.vcsUrl}">
<button type="submit">${t('apps.save')}</button></form>
<form class="card stack" method="post" action="/app/${a.code}/developers/">${hidden(o.csrf)}<h2>${t('apps.developers')}</h2>
<label for="developer">${t('apps.developers_help')}</label><input id="developer" name="developer" value="${o.devs.join(';')}">
<button type="submit">${t('apps.save_developers')}</button></form>
<form class="card" method="post" action="/app/${a.code}/secret/rotate/" data-confirm="${t('apps.rotate_confirm', { code: a.code })}">${hidden(o.csrf)}
<h2>${t('apps.rotate_title')}</h2><p class="muted">${t('apps.rotate_note')}</p><button type="submit" class="danger">${t('apps.rotate_button')}</button></form>
${
  o.canDelete
    ? html`<form class="card" method="post" action="/release/${a.code}/delete/" data-confirm="${t('apps.delete_confirm', { code: a.code })}">${hidden(o.csrf)}
<h2>${t('apps.delete')}</h2><p class="muted">${t('apps.delete_note')}</p><button type="submit" class="danger">${t('apps.delete_app')}</button></form>`
    : ''
}`;
}

/** Env var list and add form. */
export function envPage(code: string, vars: readonly EnvVar[], csrf: string): SafeHtml {
  return html`<h1>${t('apps.env_title')} <span class="muted small mono">${code}</span></h1>${tabs(code, 'env')}
<p class="muted">${t('apps.env_help')}</p>
<div class="scroll"><table><thead><tr><th>${t('apps.env_col_name')}</th><th>${t('apps.env_col_value')}</th><th>${t('apps.env_col_mode')}</th><th>${t('apps.env_col_note')}</th><th></th></tr></thead><tbody>
${vars.map(
  (
    v,
  ) => html`<tr><td class="mono">${v.name}</td><td class="mono">${v.value}</td><td>${v.mode}</td><td>${v.intro ?? ''}</td>
<td><form class="inline" method="post" action="/app/${code}/env/${v.id}/delete/">${hidden(csrf)}<button type="submit" class="danger">${t('apps.delete')}</button></form></td></tr>`,
)}${vars.length === 0 ? html`<tr><td colspan="5" class="muted">${t('apps.env_none')}</td></tr>` : ''}</tbody></table></div>
<form class="card stack" method="post" action="/app/${code}/env/">${hidden(csrf)}<h2>${t('apps.env_add')}</h2>
<label for="name">${t('apps.env_f_name')}</label><input id="name" name="name" required pattern="[A-Za-z0-9_]+">
<label for="value">${t('apps.env_f_value')}</label><input id="value" name="value" maxlength="1024">
<label for="mode">${t('apps.env_f_mode')}</label><select id="mode" name="mode"><option value="all">${t('apps.mode_all')}</option><option value="test">${t('apps.mode_test')}</option><option value="prod">${t('apps.mode_prod')}</option></select>
<label for="intro">${t('apps.env_f_note')}</label><input id="intro" name="intro">
<button type="submit">${t('apps.env_add_button')}</button></form>`;
}
