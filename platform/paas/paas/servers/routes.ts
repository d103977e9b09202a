import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { t } from '../../common/i18n';
import { csrfOk, formToken, type PaasCtx, requireUser } from '../context';
import { agents, type EngineServer } from '../release/engine';
import { paasPage } from '../views';
import { serversPage } from './views';

/**
 * App server registry for administrators (reference §3.2 `/engine/server/`): list, add
 * (appengine makes the server ID and token), activate (appengine checks the agent), health.
 */
export function serverRoutes(app: FastifyInstance, ctx: PaasCtx): void {
  const back = (reply: FastifyReply, kind: 'ok' | 'error', text: string) =>
    reply.redirect(`/engine/server/?${kind}=${encodeURIComponent(text)}`, 303);
  const admin = async (req: FastifyRequest, reply: FastifyReply) => {
    const u = await requireUser(ctx, req, reply, 'superuser');
    return u && (req.method === 'GET' || (await csrfOk(ctx, req, reply))) ? u : null;
  };

  app.get<{ Querystring: { ok?: string; error?: string } }>('/engine/server/', async (req, reply) => {
    const u = await admin(req, reply);
    if (!u) return reply;
    const r = await agents<EngineServer[]>(ctx.config, 'GET', '').catch((e: Error) => ({
      result: false,
      message: e.message,
      data: [],
    }));
    const flash = !r.result
      ? { kind: 'error' as const, text: `appengine: ${r.message}` }
      : req.query.error
        ? { kind: 'error' as const, text: req.query.error }
        : req.query.ok
          ? { kind: 'ok' as const, text: req.query.ok }
          : undefined;
    const body = serversPage(r.data ?? [], formToken(ctx, req, reply));
    return reply
      .type('text/html; charset=utf-8')
      .send(paasPage(u, t('servers.title'), body, { flash }).value);
  });

  app.post('/engine/server/', async (req, reply) => {
    const u = await admin(req, reply);
    if (!u) return reply;
    const f = (req.body ?? {}) as Record<string, string>;
    const json = { agent_ip: f.agent_ip, agent_port: f.agent_port, web_port: f.web_port, mode: f.mode };
    const r = await agents<EngineServer>(ctx.config, 'POST', '', json).catch((e: Error) => ({
      result: false,
      message: e.message,
      data: null,
    }));
    if (!r.result || !r.data) return back(reply, 'error', t('servers.not_added', { why: r.message }));
    req.log.info({ user: u.username, server: r.data.ip, mode: r.data.mode }, 'app server added');
    return back(reply, 'ok', t('servers.added', { ip: r.data.ip }));
  });

  app.post('/engine/server/active/', async (req, reply) => {
    const u = await admin(req, reply);
    if (!u) return reply;
    const id = String(Number((req.body as Record<string, string>)?.server_id) || 0);
    const r = await agents<EngineServer>(ctx.config, 'PUT', `${id}/`).catch((e: Error) => ({
      result: false,
      message: e.message,
      data: null,
    }));
    if (!r.result || !r.data) return back(reply, 'error', t('servers.not_activated', { why: r.message }));
    req.log.info({ user: u.username, server: r.data.ip, mode: r.data.mode }, 'app server activated');
    return back(
      reply,
      'ok',
      r.data.mode === 'test'
        ? t('servers.activated_test', { ip: r.data.ip })
        : t('servers.activated_prod', { ip: r.data.ip }),
    );
  });

  app.post<{ Params: { id: string } }>('/engine/server/:id/healthz/', async (req, reply) => {
    const u = await admin(req, reply);
    if (!u) return reply;
    const id = String(Number(req.params.id) || 0);
    const r = await agents<{ mac: string }>(ctx.config, 'GET', `${id}/healthz/`).catch((e: Error) => ({
      result: false,
      message: e.message,
      data: null,
    }));
    return r.result
      ? back(reply, 'ok', t('servers.healthy', { id, mac: r.data?.mac ?? '?' }))
      : back(reply, 'error', t('servers.unhealthy', { id, why: r.message }));
  });
}
