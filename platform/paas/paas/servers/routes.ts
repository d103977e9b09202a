import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
    return reply.type('text/html; charset=utf-8').send(paasPage(u, 'App servers', body, { flash }).value);
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
    if (!r.result || !r.data) return back(reply, 'error', `Not added: ${r.message}`);
    req.log.info({ user: u.username, server: r.data.ip, mode: r.data.mode }, 'app server added');
    return back(
      reply,
      'ok',
      `Server ${r.data.ip} added; configure its agent with the server ID and token below, then activate it.`,
    );
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
    if (!r.result || !r.data) return back(reply, 'error', `Not activated: ${r.message}`);
    req.log.info({ user: u.username, server: r.data.ip, mode: r.data.mode }, 'app server activated');
    return back(reply, 'ok', `Server ${r.data.ip} is now the active ${r.data.mode} server.`);
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
      ? back(reply, 'ok', `Server ${id} is healthy (MAC ${r.data?.mac ?? '?'}).`)
      : back(reply, 'error', `Server ${id} is unhealthy: ${r.message}`);
  });
}
