import { CSRF_FIELD } from '../../common/csrf/csrf';
import { html, type SafeHtml } from '../../common/html/html';
import { page } from '../../common/html/layout';
import { t } from '../../common/i18n';
import { SITE } from '../context';
import type { User } from '../users/store';
import { ROLES } from '../users/validate';

/** Shared frame of the user-admin pages. */
export function adminPage(
  me: User,
  title: string,
  body: SafeHtml,
  flash?: { kind: 'error' | 'ok'; text: string },
): SafeHtml {
  return page({
    title,
    cssHref: `${SITE}/static/bkcec.css`,
    brand: 'BlueKing Users',
    brandHref: `${SITE}/accounts/user/list/`,
    nav: [
      { href: '/', label: 'Developer center' },
      { href: `${SITE}/accounts/user/list/`, label: me.isSuperuser ? 'Users' : 'My account', active: true },
    ],
    user: { name: me.username, role: ROLES[me.role], logoutHref: `${SITE}/logout/` },
    flash,
    body,
  });
}

const roleOptions = (sel: number | undefined, withAny = false) =>
  html`${withAny ? html`<option value="">Any role</option>` : ''}${Object.entries(ROLES).map(
    ([c, l]) => html`<option value="${c}" ${sel === Number(c) ? 'selected' : ''}>${c} · ${l}</option>`,
  )}`;

/** List with search (superusers) or the caller's own row. */
export function userList(o: {
  me: User;
  users: User[];
  total: number;
  page: number;
  pageSize: number;
  search: string;
  role?: number;
  csrf: string;
}): SafeHtml {
  const pages = Math.max(1, Math.ceil(o.total / o.pageSize));
  const link = (p: number) =>
    `?${new URLSearchParams({ search_data: o.search, search_role: o.role === undefined ? '' : String(o.role), page: String(p) })}`;
  return html`<div class="row"><h1 class="grow">${o.me.isSuperuser ? 'Users' : 'My account'}</h1>
${o.me.isSuperuser ? html`<a class="btn" href="${SITE}/accounts/user/new/">New user</a>` : ''}</div>
${
  o.me.isSuperuser
    ? html`<form class="card row" method="get" action="${SITE}/accounts/user/list/">
<input name="search_data" placeholder="Search name, phone, email" value="${o.search}" aria-label="Search">
<select name="search_role" aria-label="Role">${roleOptions(o.role, true)}</select>
<button type="submit" class="plain">Search</button></form>`
    : ''
}
<div class="scroll"><table><thead><tr><th>Username</th><th>Display name</th><th>Role</th><th>Phone</th><th>Email</th><th></th></tr></thead><tbody>
${o.users.map(
  (
    u,
  ) => html`<tr><td class="mono">${u.username}</td><td>${u.chname}</td><td><span class="tag">${ROLES[u.role]}</span></td>
<td>${u.phone}</td><td>${u.email}</td><td><a href="${SITE}/accounts/user/${u.id}/edit/">Edit</a></td></tr>`,
)}
${o.users.length === 0 ? html`<tr><td colspan="6" class="muted">No user matches.</td></tr>` : ''}
</tbody></table></div>
<p class="muted small">${t('users.count', { n: o.total })} · ${t('users.page_of', { page: o.page, pages })}
${o.page > 1 ? html` · <a href="${link(o.page - 1)}">previous</a>` : ''}${o.page < pages ? html` · <a href="${link(o.page + 1)}">next</a>` : ''}</p>`;
}

/** Create form (superuser). */
export function newUserForm(csrf: string, v: Record<string, string> = {}): SafeHtml {
  return html`<h1>New user</h1><form class="card stack" method="post" action="${SITE}/accounts/user/">
<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">
<label for="username">Username</label><input id="username" name="username" required value="${v.username ?? ''}">
<label for="chname">Display name</label><input id="chname" name="chname" required value="${v.chname ?? ''}">
<label for="phone">Phone (11 digits)</label><input id="phone" name="phone" inputmode="numeric" value="${v.phone ?? ''}">
<label for="email">Email</label><input id="email" name="email" type="email" value="${v.email ?? ''}">
<label for="role">Role</label><select id="role" name="role">${roleOptions(Number(v.role ?? 0))}</select>
<label for="password">Initial password</label><input id="password" name="password" type="password" required autocomplete="new-password">
<p class="muted small">8–20 characters with upper- and lower-case letters and a digit.</p>
<button type="submit">Create user</button></form>`;
}

/** Edit profile, change password and (superuser) delete. */
export function editUser(me: User, u: User, csrf: string): SafeHtml {
  const self = me.id === u.id;
  return html`<h1>${u.username}</h1>
<form class="card stack" method="post" action="${SITE}/accounts/user/${u.id}/">
<h2>Profile</h2><input type="hidden" name="${CSRF_FIELD}" value="${csrf}">
<label for="chname">Display name</label><input id="chname" name="chname" required value="${u.chname}">
<label for="phone">Phone</label><input id="phone" name="phone" value="${u.phone}">
<label for="email">Email</label><input id="email" name="email" type="email" value="${u.email}">
${me.isSuperuser ? html`<label for="role">Role</label><select id="role" name="role">${roleOptions(u.role)}</select>` : ''}
<button type="submit">Save</button></form>
<form class="card stack" method="post" action="${SITE}/accounts/user/${u.id}/password/">
<h2>${self ? 'Change password' : 'Reset password'}</h2><input type="hidden" name="${CSRF_FIELD}" value="${csrf}">
${self ? html`<label for="old_password">Current password</label><input id="old_password" name="old_password" type="password" required autocomplete="current-password">` : ''}
<label for="new_password1">New password</label><input id="new_password1" name="new_password1" type="password" required autocomplete="new-password">
<label for="new_password2">New password again</label><input id="new_password2" name="new_password2" type="password" required autocomplete="new-password">
<button type="submit">${self ? 'Change password' : 'Reset password'}</button></form>
${
  me.isSuperuser && u.username !== 'admin'
    ? html`<form class="card" method="post" action="${SITE}/accounts/user/${u.id}/delete/">
<input type="hidden" name="${CSRF_FIELD}" value="${csrf}"><h2>Delete</h2><p class="muted">This removes ${u.username} and ends their sessions.</p>
<button type="submit" class="danger">Delete ${u.username}</button></form>`
    : ''
}`;
}
