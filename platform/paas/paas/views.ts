import type { SafeHtml } from '../common/html/html';
import { page } from '../common/html/layout';
import type { PaasUser } from './auth/login-client';

const ROLE = ['staff', 'administrator', 'developer', 'operator', 'auditor'];

/** The developer-center frame: nav by role, the user line, one flash. */
export function paasPage(
  u: PaasUser,
  title: string,
  body: SafeHtml,
  o: { active?: string; flash?: { kind: 'error' | 'ok'; text: string } } = {},
): SafeHtml {
  const nav = [
    { href: '/platform/', label: 'Home' },
    ...(u.isDeveloper
      ? [
          { href: '/app/list/', label: 'My apps' },
          { href: '/app/', label: 'Create app' },
          { href: '/esb/api_docs/', label: 'API docs' },
        ]
      : []),
    { href: '/console/', label: 'Console' },
    ...(u.isSuperuser
      ? [
          { href: '/engine/server/', label: 'App servers' },
          { href: '/admin/esb/', label: 'ESB admin' },
        ]
      : []),
    { href: '/login/accounts/user/list/', label: u.isSuperuser ? 'Users' : 'Account' },
  ].map((n) => ({ ...n, active: n.href === o.active }));
  return page({
    title,
    brand: 'BlueKing Developer Center',
    brandHref: '/platform/',
    scriptHref: '/static/paas.js',
    nav,
    user: {
      name: u.chname && u.chname !== u.username ? `${u.chname} (${u.username})` : u.username,
      role: ROLE[u.role] ?? String(u.role),
      logoutHref: '/accounts/logout/',
    },
    flash: o.flash,
    body,
  });
}

/** Reveal/copy buttons for secrets (served as /static/paas.js; CSP allows only same-origin scripts). */
export const PAAS_JS = `
document.addEventListener('click', async (ev) => {
  const b = ev.target.closest('[data-reveal],[data-copy]');
  if (!b) return;
  const box = document.getElementById(b.dataset.reveal || b.dataset.copy);
  if (b.dataset.reveal) {
    if (box.dataset.shown) { box.textContent = '••••••••-••••-••••-••••-••••••••••••'; delete box.dataset.shown; b.textContent = 'Show'; return; }
    const r = await fetch(box.dataset.src, { headers: { 'X-Requested-With': 'XMLHttpRequest' } });
    const j = await r.json();
    if (!j.result) { box.textContent = j.message; return; }
    box.textContent = j.data.secret; box.dataset.shown = '1'; b.textContent = 'Hide';
  } else {
    if (!box.dataset.shown) { const r = await fetch(box.dataset.src, { headers: { 'X-Requested-With': 'XMLHttpRequest' } }); const j = await r.json(); if (!j.result) return; await navigator.clipboard.writeText(j.data.secret); }
    else await navigator.clipboard.writeText(box.textContent);
    const old = b.textContent; b.textContent = 'Copied'; setTimeout(() => { b.textContent = old; }, 1500);
  }
});
document.addEventListener('submit', (ev) => {
  const msg = ev.target.dataset && ev.target.dataset.confirm;
  if (msg && !confirm(msg)) ev.preventDefault();
});
`;
