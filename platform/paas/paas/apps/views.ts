import { CSRF_FIELD } from '../../common/csrf/csrf';
import { html, type SafeHtml } from '../../common/html/html';
import { STATES } from './rules';
import type { App, EnvVar } from './store';

const hidden = (csrf: string) => html`<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">`;

/** The create form. */
export function createForm(csrf: string, v: Record<string, string> = {}): SafeHtml {
  return html`<h1>Create an app</h1><form class="card stack" method="post" action="/app/">${hidden(csrf)}
<label for="code">App code</label><input id="code" name="code" required pattern="[a-z][a-z0-9\\-]{2,15}" value="${v.code ?? ''}">
<p class="muted small">3–16 characters: lower-case letters, digits and "-", starting with a letter. It cannot change later.</p>
<label for="name">App name</label><input id="name" name="name" required maxlength="20" value="${v.name ?? ''}">
<label for="introduction">Introduction</label><textarea id="introduction" name="introduction">${v.introduction ?? ''}</textarea>
<label for="developer">Other developers (usernames separated by ;)</label><input id="developer" name="developer" value="${v.developer ?? ''}">
<label for="vcs_url">Git repository URL (optional)</label><input id="vcs_url" name="vcs_url" value="${v.vcs_url ?? ''}">
<button type="submit">Create app</button></form>`;
}

/** Tiles/table of apps. */
export function appTable(apps: readonly App[], empty: string): SafeHtml {
  if (apps.length === 0) return html`<div class="card muted">${empty}</div>`;
  return html`<div class="scroll"><table><thead><tr><th>Code</th><th>Name</th><th>State</th><th>Creator</th><th>Created</th></tr></thead><tbody>
${apps.map(
  (a) => html`<tr><td><a class="mono" href="/app/${a.code}/info/">${a.code}</a></td><td>${a.name}</td>
<td><span class="tag">${STATES[a.state] ?? a.state}</span></td><td>${a.creater}</td><td>${a.created_date.toISOString().slice(0, 10)}</td></tr>`,
)}</tbody></table></div>`;
}

const tabs = (code: string, on: string) =>
  html`<p class="row small">${[
    ['info', 'Basic info', `/app/${code}/info/`],
    ['env', 'Environment variables', `/app/${code}/env/`],
    ['release', 'Deploy', `/release/${code}/`],
  ].map(([k, l, href]) => (k === on ? html`<strong>${l}</strong>` : html`<a href="${href}">${l}</a>`))}</p>`;

/** Info page: code, secret (revealed on demand), state, developers, edit forms, delete. */
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
  return html`<h1>${a.name} <span class="muted small mono">${a.code}</span></h1>${tabs(a.code, 'info')}
<div class="card"><dl class="kv">
<dt>App code (bk_app_code)</dt><dd class="mono" id="app-code">${a.code}</dd>
<dt>App secret (bk_app_secret)</dt><dd><span class="secret"><code id="app-secret" data-src="/app/${a.code}/secret/">••••••••-••••-••••-••••-••••••••••••</code>
<button type="button" class="plain" data-reveal="app-secret">Show</button><button type="button" class="plain" data-copy="app-secret">Copy</button></span></dd>
<dt>State</dt><dd><span class="tag">${STATES[a.state] ?? a.state}</span></dd>
<dt>Creator</dt><dd>${a.creater}</dd>
<dt>Developers</dt><dd>${o.devs.join('; ')}</dd>
<dt>Language</dt><dd>${a.language}</dd>
<dt>Test URL</dt><dd class="mono">${o.testUrl}</dd><dt>Production URL</dt><dd class="mono">${o.prodUrl}</dd>
<dt>Repository</dt><dd class="mono">${o.vcsUrl || '—'}</dd>
<dt>Introduction</dt><dd>${a.introduction || '—'}</dd>
</dl></div>
<form class="card stack" method="post" action="/app/${a.code}/">${hidden(o.csrf)}<h2>Edit</h2>
<label for="name">App name</label><input id="name" name="name" required maxlength="20" value="${a.name}">
<label for="introduction">Introduction</label><textarea id="introduction" name="introduction">${a.introduction}</textarea>
<label for="vcs_url">Git repository URL</label><input id="vcs_url" name="vcs_url" value="${o.vcsUrl}">
<button type="submit">Save</button></form>
<form class="card stack" method="post" action="/app/${a.code}/developers/">${hidden(o.csrf)}<h2>Developers</h2>
<label for="developer">Usernames separated by ; (the creator always stays)</label><input id="developer" name="developer" value="${o.devs.join(';')}">
<button type="submit">Save developers</button></form>
${
  o.canDelete
    ? html`<form class="card" method="post" action="/release/${a.code}/delete/" data-confirm="Delete ${a.code}? This cannot be undone.">${hidden(o.csrf)}
<h2>Delete</h2><p class="muted">Possible while the app is in development and was never deployed.</p><button type="submit" class="danger">Delete app</button></form>`
    : ''
}`;
}

/** Env var list and add form. */
export function envPage(code: string, vars: readonly EnvVar[], csrf: string): SafeHtml {
  return html`<h1>Environment variables <span class="muted small mono">${code}</span></h1>${tabs(code, 'env')}
<p class="muted">Names get the prefix BKAPP_. "all" applies to both test and production.</p>
<div class="scroll"><table><thead><tr><th>Name</th><th>Value</th><th>Mode</th><th>Note</th><th></th></tr></thead><tbody>
${vars.map(
  (
    v,
  ) => html`<tr><td class="mono">${v.name}</td><td class="mono">${v.value}</td><td>${v.mode}</td><td>${v.intro ?? ''}</td>
<td><form class="inline" method="post" action="/app/${code}/env/${v.id}/delete/">${hidden(csrf)}<button type="submit" class="danger">Delete</button></form></td></tr>`,
)}${vars.length === 0 ? html`<tr><td colspan="5" class="muted">No variables yet.</td></tr>` : ''}</tbody></table></div>
<form class="card stack" method="post" action="/app/${code}/env/">${hidden(csrf)}<h2>Add a variable</h2>
<label for="name">Name (without BKAPP_)</label><input id="name" name="name" required pattern="[A-Za-z0-9_]+">
<label for="value">Value</label><input id="value" name="value" maxlength="1024">
<label for="mode">Mode</label><select id="mode" name="mode"><option value="all">all</option><option value="test">test</option><option value="prod">prod</option></select>
<label for="intro">Note</label><input id="intro" name="intro">
<button type="submit">Add variable</button></form>`;
}
