import type { FastifyInstance } from 'fastify';
import { html } from '../../common/html/html';
import { listApps, onlineApps } from '../apps/store';
import { appTable } from '../apps/views';
import { bkToken, type PaasCtx, requireUser } from '../context';
import { paasPage } from '../views';

/** Home (`/` → `/platform/`), the `/console/` launcher and logout. */
export function homeRoutes(app: FastifyInstance, ctx: PaasCtx): void {
  app.get('/', async (_req, reply) => reply.redirect('/platform/', 302));

  app.get('/platform/', async (req, reply) => {
    const u = await requireUser(ctx, req, reply, 'any');
    if (!u) return reply;
    const mine = u.isDeveloper ? await listApps(ctx.db, { username: u.username, all: false }) : [];
    const body = html`<h1>Welcome, ${u.chname || u.username}</h1>
${
  u.isDeveloper
    ? html`<div class="row"><h2 class="grow">Your apps</h2><a class="btn" href="/app/">Create app</a></div>
${appTable(mine, 'You have no apps yet. Create one to get an app code and secret for calling ESB APIs.')}
<h2>Useful links</h2><div class="grid">
<a class="tile" href="/esb/api_docs/"><strong>API docs</strong>Every API behind ESB</a>
<a class="tile" href="/console/"><strong>Console</strong>Apps that are online</a>
<a class="tile" href="/login/accounts/user/list/"><strong>Account</strong>Profile and password</a></div>`
    : html`<div class="card">Your role does not include the developer center. Open the <a href="/console/">console</a> to use the apps that are online.</div>`
}`;
    return reply
      .type('text/html; charset=utf-8')
      .send(paasPage(u, 'Home', body, { active: '/platform/' }).value);
  });

  app.get('/console/', async (req, reply) => {
    const u = await requireUser(ctx, req, reply, 'any');
    if (!u) return reply;
    const apps = await onlineApps(ctx.db);
    const body = html`<h1>Console</h1>${
      apps.length === 0
        ? html`<div class="card muted">No app is online yet.</div>`
        : html`<div class="grid">${apps.map((a) => html`<a class="tile" href="/o/${a.code}/"><strong>${a.name}</strong><span class="muted small">${a.introduction}</span></a>`)}</div>`
    }`;
    return reply
      .type('text/html; charset=utf-8')
      .send(paasPage(u, 'Console', body, { active: '/console/' }).value);
  });

  app.get('/accounts/logout/', async (req, reply) => {
    ctx.login.forget(bkToken(req));
    return reply.redirect('/login/?is_from_logout=1&c_url=%2F', 302);
  });
}
