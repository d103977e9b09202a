import type { SafeHtml } from '../common/html/html';
import { page } from '../common/html/layout';
import { roleLabel, t } from '../common/i18n';
import type { PaasUser } from './auth/login-client';

/** The developer-center frame: nav by role, the user line, one flash. */
export function paasPage(
  u: PaasUser,
  title: string,
  body: SafeHtml,
  o: { active?: string; flash?: { kind: 'error' | 'ok'; text: string } } = {},
): SafeHtml {
  const nav = [
    { href: '/platform/', label: t('nav.home') },
    ...(u.isDeveloper
      ? [
          { href: '/app/list/', label: t('nav.my_apps') },
          { href: '/app/', label: t('nav.create_app') },
          { href: '/esb/api_docs/', label: t('nav.api_docs') },
        ]
      : []),
    { href: '/console/', label: t('nav.console') },
    ...(u.isSuperuser
      ? [
          { href: '/engine/server/', label: t('nav.servers') },
          { href: '/saas/upload/', label: t('nav.saas') },
          { href: '/admin/esb/', label: t('nav.esb_admin') },
        ]
      : []),
    { href: '/login/accounts/user/list/', label: u.isSuperuser ? t('nav.users') : t('nav.account') },
  ].map((n) => ({ ...n, active: n.href === o.active }));
  return page({
    title,
    brand: t('paas.brand'),
    brandHref: '/platform/',
    scriptHref: '/static/paas.js',
    nav,
    user: {
      name: u.chname && u.chname !== u.username ? `${u.chname} (${u.username})` : u.username,
      role: roleLabel(u.role),
      logoutHref: '/accounts/logout/',
    },
    flash: o.flash,
    body,
  });
}

/**
 * Reveal/copy buttons for secrets (served as /static/paas.js; CSP allows only same-origin scripts);
 * button texts come from the page's data-label-* attributes, so the script needs no catalogue.
 * It also tells the server the browser's time zone (cookie blueking_timezone) for dates.
 */
export const PAAS_JS = `
(function () {
  try {
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (tz && !document.cookie.split('; ').includes('blueking_timezone=' + encodeURIComponent(tz)))
      document.cookie = 'blueking_timezone=' + encodeURIComponent(tz) + '; path=/; max-age=31536000; samesite=lax';
  } catch (e) {}
})();
document.addEventListener('click', async (ev) => {
  const b = ev.target.closest('[data-reveal],[data-copy]');
  if (!b) return;
  const box = document.getElementById(b.dataset.reveal || b.dataset.copy);
  if (b.dataset.reveal) {
    if (box.dataset.shown) { box.textContent = '••••••••-••••-••••-••••-••••••••••••'; delete box.dataset.shown; b.textContent = b.dataset.labelShow; return; }
    const r = await fetch(box.dataset.src, { headers: { 'X-Requested-With': 'XMLHttpRequest' } });
    const j = await r.json();
    if (!j.result) { box.textContent = j.message; return; }
    box.textContent = j.data.secret; box.dataset.shown = '1'; b.textContent = b.dataset.labelHide;
  } else {
    if (!box.dataset.shown) { const r = await fetch(box.dataset.src, { headers: { 'X-Requested-With': 'XMLHttpRequest' } }); const j = await r.json(); if (!j.result) return; await navigator.clipboard.writeText(j.data.secret); }
    else await navigator.clipboard.writeText(box.textContent);
    const old = b.textContent; b.textContent = b.dataset.labelDone; setTimeout(() => { b.textContent = old; }, 1500);
  }
});
document.addEventListener('submit', (ev) => {
  const msg = ev.target.dataset && ev.target.dataset.confirm;
  if (msg && !confirm(msg)) ev.preventDefault();
});
`;
