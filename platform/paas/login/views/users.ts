import { CSRF_FIELD } from '../../common/csrf/csrf';
import { html, type SafeHtml } from '../../common/html/html';
import { page } from '../../common/html/layout';
import { roleLabel, t } from '../../common/i18n';
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
    site: SITE,
    brand: t('users.brand'),
    brandHref: `${SITE}/accounts/user/list/`,
    nav: [
      { href: '/', label: t('users.nav_devcenter') },
      {
        href: `${SITE}/accounts/user/list/`,
        label: me.isSuperuser ? t('users.nav_users') : t('users.nav_me'),
        active: true,
      },
    ],
    user: { name: me.username, role: roleLabel(me.role), logoutHref: `${SITE}/logout/` },
    flash,
    body,
  });
}

const roleOptions = (sel: number | undefined, withAny = false) =>
  html`${withAny ? html`<option value="">${t('users.any_role')}</option>` : ''}${Object.keys(ROLES).map(
    (c) =>
      html`<option value="${c}" ${sel === Number(c) ? 'selected' : ''}>${c} · ${roleLabel(Number(c))}</option>`,
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
  return html`<div class="row"><h1 class="grow">${o.me.isSuperuser ? t('users.nav_users') : t('users.nav_me')}</h1>
${o.me.isSuperuser ? html`<a class="btn" href="${SITE}/accounts/user/new/">${t('users.new_user')}</a>` : ''}</div>
${
  o.me.isSuperuser
    ? html`<form class="card row" method="get" action="${SITE}/accounts/user/list/">
<input name="search_data" placeholder="${t('users.search_placeholder')}" value="${o.search}" aria-label="${t('users.search')}">
<select name="search_role" aria-label="${t('users.role')}">${roleOptions(o.role, true)}</select>
<button type="submit" class="plain">${t('users.search')}</button></form>`
    : ''
}
<div class="scroll"><table><thead><tr><th>${t('users.col_username')}</th><th>${t('users.col_chname')}</th><th>${t('users.col_role')}</th><th>${t('users.col_phone')}</th><th>${t('users.col_email')}</th><th></th></tr></thead><tbody>
${o.users.map(
  (
    u,
  ) => html`<tr><td class="mono">${u.username}</td><td>${u.chname}</td><td><span class="tag">${roleLabel(u.role)}</span></td>
<td>${u.phone}</td><td>${u.email}</td><td><a href="${SITE}/accounts/user/${u.id}/edit/">${t('users.edit')}</a></td></tr>`,
)}
${o.users.length === 0 ? html`<tr><td colspan="6" class="muted">${t('users.none')}</td></tr>` : ''}
</tbody></table></div>
<p class="muted small">${t('users.count', { n: o.total })} · ${t('users.page_of', { page: o.page, pages })}
${o.page > 1 ? html` · <a href="${link(o.page - 1)}">${t('users.previous')}</a>` : ''}${o.page < pages ? html` · <a href="${link(o.page + 1)}">${t('users.next')}</a>` : ''}</p>`;
}

/** Create form (superuser). */
export function newUserForm(csrf: string, v: Record<string, string> = {}): SafeHtml {
  return html`<h1>${t('users.new_user')}</h1><form class="card stack" method="post" action="${SITE}/accounts/user/">
<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">
<label for="username">${t('users.f_username')}</label><input id="username" name="username" required value="${v.username ?? ''}">
<label for="chname">${t('users.f_chname')}</label><input id="chname" name="chname" required value="${v.chname ?? ''}">
<label for="phone">${t('users.f_phone11')}</label><input id="phone" name="phone" inputmode="numeric" value="${v.phone ?? ''}">
<label for="email">${t('users.f_email')}</label><input id="email" name="email" type="email" value="${v.email ?? ''}">
<label for="role">${t('users.f_role')}</label><select id="role" name="role">${roleOptions(Number(v.role ?? 0))}</select>
<label for="password">${t('users.f_initial_password')}</label><input id="password" name="password" type="password" required autocomplete="new-password">
<p class="muted small">${t('users.password_rule')}</p>
<button type="submit">${t('users.create')}</button></form>`;
}

/** Edit profile, change password and (superuser) delete. */
export function editUser(me: User, u: User, csrf: string): SafeHtml {
  const self = me.id === u.id;
  const pwTitle = self ? t('users.change_password') : t('users.reset_password');
  return html`<h1>${u.username}</h1>
<form class="card stack" method="post" action="${SITE}/accounts/user/${u.id}/">
<h2>${t('users.profile')}</h2><input type="hidden" name="${CSRF_FIELD}" value="${csrf}">
<label for="chname">${t('users.f_chname')}</label><input id="chname" name="chname" required value="${u.chname}">
<label for="phone">${t('users.f_phone')}</label><input id="phone" name="phone" value="${u.phone}">
<label for="email">${t('users.f_email')}</label><input id="email" name="email" type="email" value="${u.email}">
${me.isSuperuser ? html`<label for="role">${t('users.f_role')}</label><select id="role" name="role">${roleOptions(u.role)}</select>` : ''}
<button type="submit">${t('users.save')}</button></form>
<form class="card stack" method="post" action="${SITE}/accounts/user/${u.id}/password/">
<h2>${pwTitle}</h2><input type="hidden" name="${CSRF_FIELD}" value="${csrf}">
${self ? html`<label for="old_password">${t('users.current_password')}</label><input id="old_password" name="old_password" type="password" required autocomplete="current-password">` : ''}
<label for="new_password1">${t('users.new_password')}</label><input id="new_password1" name="new_password1" type="password" required autocomplete="new-password">
<label for="new_password2">${t('users.new_password_again')}</label><input id="new_password2" name="new_password2" type="password" required autocomplete="new-password">
<button type="submit">${pwTitle}</button></form>
${
  me.isSuperuser && u.username !== 'admin'
    ? html`<form class="card" method="post" action="${SITE}/accounts/user/${u.id}/delete/">
<input type="hidden" name="${CSRF_FIELD}" value="${csrf}"><h2>${t('users.delete')}</h2><p class="muted">${t('users.delete_note', { name: u.username })}</p>
<button type="submit" class="danger">${t('users.delete_named', { name: u.username })}</button></form>`
    : ''
}`;
}
