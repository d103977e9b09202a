import type { FastifyInstance } from 'fastify';
import { html } from '../../common/html/html';
import { thtml } from '../../common/html/t';
import { t } from '../../common/i18n';
import { listApps, onlineApps } from '../apps/store';
import { appTable } from '../apps/views';
import { bkToken, type PaasCtx, requireUser } from '../context';
import { certificateDays } from '../license/days';
import { licenseCard } from '../license/views';
import { paasPage } from '../views';

/** Home (`/` → `/platform/`), the `/console/` launcher and logout. */
export function homeRoutes(app: FastifyInstance, ctx: PaasCtx): void {
  app.get('/', async (_req, reply) => reply.redirect('/platform/', 302));

  app.get('/platform/', async (req, reply) => {
    const u = await requireUser(ctx, req, reply, 'any');
    if (!u) return reply;
    const mine = u.isDeveloper ? await listApps(ctx.db, { username: u.username, all: false }) : [];
    const license = u.isSuperuser && ctx.licenseCert ? licenseCard(certificateDays(ctx.licenseCert)) : html``;
    const body = html`<h1>${t('home.welcome', { name: u.chname || u.username })}</h1>
${license}
${
  u.isDeveloper
    ? html`<div class="row"><h2 class="grow">${t('home.your_apps')}</h2><a class="btn" href="/app/">${t('nav.create_app')}</a></div>
${appTable(mine, t('home.no_apps'))}
<h2>${t('home.links')}</h2><div class="grid">
<a class="tile" href="/esb/api_docs/"><strong>${t('nav.api_docs')}</strong>${t('home.tile_docs')}</a>
<a class="tile" href="/console/"><strong>${t('nav.console')}</strong>${t('home.tile_console')}</a>
<a class="tile" href="/login/accounts/user/list/"><strong>${t('nav.account')}</strong>${t('home.tile_account')}</a></div>`
    : html`<div class="card">${thtml('home.not_developer', { console: html`<a href="/console/">${t('home.console_link')}</a>` })}</div>`
}`;
    return reply
      .type('text/html; charset=utf-8')
      .send(paasPage(u, t('home.title'), body, { active: '/platform/' }).value);
  });

  app.get('/console/', async (req, reply) => {
    const u = await requireUser(ctx, req, reply, 'any');
    if (!u) return reply;
    const apps = await onlineApps(ctx.db);
    const body = html`<h1>${t('console.title')}</h1>${
      apps.length === 0
        ? html`<div class="card muted">${t('console.none')}</div>`
        : html`<div class="grid">${apps.map((a) => html`<a class="tile" href="/o/${a.code}/"><strong>${a.name}</strong><span class="muted small">${a.introduction}</span></a>`)}</div>`
    }`;
    return reply
      .type('text/html; charset=utf-8')
      .send(paasPage(u, t('console.title'), body, { active: '/console/' }).value);
  });

  app.get('/accounts/logout/', async (req, reply) => {
    ctx.login.forget(bkToken(req));
    return reply.redirect('/login/?is_from_logout=1&c_url=%2F', 302);
  });
}
