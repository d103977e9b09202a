import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { guardRoutes, PUBLIC } from '../paas/common/http/guard';
import { safeEqual } from '../paas/common/security/compare';
import type { AgentConfig } from './config';
import type { JobRunner } from './jobs/queue';
import { parseJob } from './jobs/request';
import { firstMac } from './mac';

/** The original's code for a wrong server id/token. */
export const BAD_AUTH = 20100;

/** The peer address without the IPv4-mapped prefix. */
const peer = (req: FastifyRequest): string => (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');

function authed(cfg: AgentConfig, req: FastifyRequest): boolean {
  const id = req.headers['x-id'];
  const token = req.headers['x-token'];
  return (
    typeof id === 'string' &&
    typeof token === 'string' &&
    safeEqual(id, cfg.sid) &&
    safeEqual(token, cfg.token) &&
    cfg.allowFrom.includes(peer(req))
  );
}

/**
 * The agent API (reference §5.2): `POST /v1/app/online|offline` answer `{"error": 0}` at once and
 * run the job in the background; `GET /v1/app/healthz` → `{"error": 0, "mac"}`; `GET /healthz`
 * → "alive". Every other route needs `X-ID`/`X-TOKEN` from an address in `allowFrom` (403 with
 * error 20100 otherwise), decided by the shared route guard on the route the router matched (so
 * `/%761/app/online` is checked like `/v1/app/online`); a route without a guard cannot be added.
 */
export function buildAgentServer(cfg: AgentConfig, jobs: JobRunner, log = false): FastifyInstance {
  const app = Fastify({ logger: log ? { level: 'info' } : false, bodyLimit: 1024 * 1024 });
  guardRoutes(app, {
    guards: {
      agent: async (req, reply) => {
        if (authed(cfg, req)) return true;
        await reply.code(403).send({
          error: BAD_AUTH,
          msg: 'expected X-ID and X-TOKEN of this agent (server id / token) from an appengine host',
        });
        return false;
      },
    },
    routes: { '/healthz': PUBLIC, '/*': 'agent' },
  });
  app.get('/healthz', async (_req, reply) => reply.type('text/plain').send('alive'));
  app.get('/v1/app/healthz', async () => ({ error: 0, mac: firstMac(), mode: cfg.mode }));
  const job = (kind: 'online' | 'offline') => async (req: FastifyRequest, reply: FastifyReply) => {
    const j = parseJob((req.body ?? {}) as Record<string, unknown>, kind === 'online');
    if (typeof j === 'string') return reply.code(400).send({ error: 1, msg: j });
    if (j.mode !== cfg.mode)
      return reply
        .code(400)
        .send({ error: 1, msg: `this agent serves ${cfg.mode} apps, got a ${j.mode} job` });
    void jobs.submit(kind, j);
    return { error: 0 };
  };
  app.post('/v1/app/online', job('online'));
  app.post('/v1/app/offline', job('offline'));
  return app;
}
