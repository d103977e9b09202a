import type { FastifyInstance } from 'fastify';
import type { Pool } from '../../common/db/pool';
import { deny, type ServerRow } from '../auth';
import { callAgent } from './client';
import { activate, CATEGORY, findServer, listServers, type NewServer, upsertServer } from './store';

const IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]+|[A-Za-z0-9.-]+)$/;
const SECRET = /^[A-Za-z0-9-]{16,64}$/;

/** The server as the API shows it (the platform needs s_id and token to configure the agent). */
export function serverView(s: ServerRow) {
  return {
    id: s.id,
    name: s.name,
    sid: s.s_id,
    token: s.token,
    ip: s.ip_address,
    agent_port: s.ip_port,
    web_port: s.app_port,
    category: s.category,
    mode: s.category === 'tapp' ? 'test' : 'prod',
    is_active: s.is_active === 1,
    mac: s.mac,
  };
}

const port = (v: unknown, dflt: number): number | undefined => {
  const n = v === undefined || v === '' ? dflt : Number(v);
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
};

/** Validate a registration body into a NewServer or an error message. */
export function parseServer(b: Record<string, unknown>): NewServer | string {
  const ip = typeof b.agent_ip === 'string' ? b.agent_ip.trim() : '';
  if (!ip || !IP.test(ip))
    return `agent_ip: expected an IP address or host name, got ${JSON.stringify(b.agent_ip ?? null)}`;
  const agentPort = port(b.agent_port, 4245);
  const webPort = port(b.web_port, 8085);
  if (!agentPort || !webPort) return 'agent_port, web_port: expected ports 1–65535';
  const m = String(b.mode ?? '');
  const category =
    m === 'test' || m === 'tapp' ? CATEGORY.test : m === 'prod' || m === 'app' ? CATEGORY.prod : undefined;
  if (!category) return `mode: expected test (tapp) or prod (app), got ${JSON.stringify(b.mode ?? null)}`;
  for (const k of ['s_id', 'token'] as const)
    if (b[k] !== undefined && (typeof b[k] !== 'string' || !SECRET.test(b[k] as string)))
      return `${k}: expected 16–64 letters, digits or "-"`;
  const name = typeof b.name === 'string' && b.name.trim() ? b.name.trim().slice(0, 64) : `${category}-${ip}`;
  return {
    ip,
    agentPort,
    webPort,
    category,
    name,
    sid: b.s_id as string | undefined,
    token: b.token as string | undefined,
  };
}

/**
 * Agent servers: `GET/POST /v1/agents/`, `PUT /v1/agents/<sid|ip|id>/` (activate),
 * `GET /v1/agents/<sid|ip|id>/healthz/`. Unlike the original these need the platform headers:
 * they are reachable through the public `/v1` location (guard `platform`).
 */
export function agentRoutes(app: FastifyInstance, db: Pool): void {
  // every route: guard `platform` (auth.ts)
  app.get('/v1/agents/', async () => {
    return { result: true, message: '', data: (await listServers(db)).map(serverView) };
  });

  app.post('/v1/agents/', async (req, reply) => {
    const s = parseServer((req.body ?? {}) as Record<string, unknown>);
    if (typeof s === 'string') return deny(reply, 400, s);
    return { result: true, message: '', data: serverView(await upsertServer(db, s)) };
  });

  app.put<{ Params: { key: string } }>('/v1/agents/:key/', async (req, reply) => {
    const s = await findServer(db, req.params.key);
    if (!s) return deny(reply, 404, `no agent server ${req.params.key}`);
    try {
      const r = await callAgent(s, 'GET', '/v1/app/healthz');
      const mode = s.category === 'tapp' ? 'test' : 'prod';
      if (r.mode && r.mode !== mode)
        throw new Error(`expected an agent serving ${mode} apps, found one serving ${r.mode}`);
      await activate(db, s, r.mac ?? '');
    } catch (e) {
      return reply.send({
        result: false,
        message: `activation of ${s.ip_address} failed: ${(e as Error).message}`,
        data: null,
      });
    }
    return { result: true, message: '', data: serverView((await findServer(db, s.s_id))!) };
  });

  app.get<{ Params: { key: string } }>('/v1/agents/:key/healthz/', async (req, reply) => {
    const s = await findServer(db, req.params.key);
    if (!s) return deny(reply, 404, `no agent server ${req.params.key}`);
    try {
      const r = await callAgent(s, 'GET', '/v1/app/healthz');
      return { result: true, message: 'ok', data: { mac: r.mac ?? '' } };
    } catch (e) {
      return { result: false, message: (e as Error).message, data: null };
    }
  });
}
