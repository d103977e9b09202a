// App secrets: rotation from the developer center, and the news that a secret changed (rotated,
// app deleted) sent to every ESB worker so the old secret is refused from the next call on.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { exec } from '../../common/db/pool';
import { wantsJson } from '../../common/http/server';
import { APP_SECRETS, announce } from '../../common/redis/invalidate';
import { audit } from '../admin/store';
import { csrfOk, type PaasCtx } from '../context';
import { editableApp } from './access';
import type { App } from './store';

/** Tell ESB (all hosts, all workers) to forget what it cached for `code`. */
export function secretChanged(ctx: PaasCtx, req: FastifyRequest, code: string): Promise<number> {
  return announce(ctx.redis, APP_SECRETS, code).then((n) => {
    if (n === 0)
      req.log.warn({ app: code }, 'no ESB heard of the changed secret; its cache expires within cacheSec');
    return n;
  });
}

/** A new secret for `app` in appengine and paas_app; the old one is refused by ESB at once. */
export async function rotateSecret(ctx: PaasCtx, req: FastifyRequest, app: App, by: string): Promise<string> {
  const token = await ctx.engine.rotate(app.code);
  await exec(ctx.db, 'UPDATE paas_app SET auth_token = ? WHERE id = ?', [token, app.id]);
  await secretChanged(ctx, req, app.code);
  await audit(ctx.db, by, 'app.secret_rotate', app.code, 'new secret; the old one is void');
  return token;
}

/** `POST /app/<code>/secret/rotate/` (a developer of the app, CSRF): new secret, back to the info page. */
export function secretRoutes(app: FastifyInstance, ctx: PaasCtx): void {
  app.post<{ Params: { code: string } }>('/app/:code/secret/rotate/', async (req, reply) => {
    const r = await editableApp(ctx, req, reply);
    if (!r || !(await csrfOk(ctx, req, reply))) return reply;
    const [u, a] = r;
    const secret = await rotateSecret(ctx, req, a, u.username);
    req.log.info({ user: u.username, app: a.code }, 'app secret rotated');
    if (wantsJson(req))
      return reply.header('cache-control', 'no-store').send({ result: true, message: '', data: { secret } });
    return reply.redirect(`/app/${a.code}/info/?done=rotated`, 303);
  });
}
