import type { FastifyReply, FastifyRequest } from 'fastify';
import { one, type Pool } from '../common/db/pool';
import { type GuardTable, principal, setPrincipal } from '../common/http/guard';
import { safeEqual } from '../common/security/compare';
import { dashed } from './register';

/** An app row as the guards return it. */
export interface AuthedApp {
  id: number;
  app_code: string;
  name: string;
  app_lang: string;
  app_type: string;
  is_active: number;
  token: string;
}

/** An agent server row (engine_servers). */
export interface ServerRow {
  id: number;
  name: string;
  s_id: string;
  token: string;
  ip_address: string;
  ip_port: number;
  app_port: number;
  category: 'tapp' | 'app';
  is_active: number;
  mac: string;
}

const header = (req: FastifyRequest, name: string): string => {
  const v = req.headers[name];
  return typeof v === 'string' ? v : '';
};

/** `{result:false}` with a status; always returns the reply so handlers can `return deny(…)`. */
export function deny(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).send({ result: false, message, data: null });
}

/** True for the platform's admin headers (`X-APP-CODE: bk_paas` + `X-APP-TOKEN: <ESB_TOKEN>`). */
export function isPlatform(req: FastifyRequest, platformToken: string): boolean {
  return header(req, 'x-app-code') === 'bk_paas' && safeEqual(header(req, 'x-app-token'), platformToken);
}

/** The app named by `code` when `X-APP-CODE` is that code and `X-APP-TOKEN` its token; else undefined. */
export async function appFromHeaders(
  db: Pool,
  req: FastifyRequest,
  code: string,
): Promise<AuthedApp | undefined> {
  if (header(req, 'x-app-code') !== code) return undefined;
  const row = await one<Omit<AuthedApp, 'token'> & { key: string }>(
    db,
    `SELECT a.id, a.app_code, a.name, a.app_lang, a.app_type, a.is_active, t.\`key\`
       FROM engine_apps a JOIN engine_app_tokens t ON t.bk_app_id = a.id WHERE a.app_code = ?`,
    [code],
  );
  if (!row) return undefined;
  const token = dashed(row.key);
  if (!safeEqual(header(req, 'x-app-token'), token)) return undefined;
  const { key: _key, ...app } = row;
  return { ...app, token };
}

/** The server whose `s_id` is `X-ID` when `X-TOKEN` is its token; else undefined. */
export async function serverFromHeaders(db: Pool, req: FastifyRequest): Promise<ServerRow | undefined> {
  const sid = header(req, 'x-id');
  if (!sid) return undefined;
  const row = await one<ServerRow>(db, 'SELECT * FROM engine_servers WHERE s_id = ?', [sid]);
  return row && safeEqual(header(req, 'x-token'), row.token) ? row : undefined;
}

export const PLATFORM_ONLY = 'expected X-APP-CODE: bk_paas with the platform X-APP-TOKEN';

/**
 * Who may call which `/v1` route, decided on the matched route: `platform` (paas's admin headers),
 * `app` (the `:code` app's own headers), `agent` (a registered agent server's X-ID/X-TOKEN).
 */
export function engineGuards(db: Pool, platformToken: string): GuardTable {
  return {
    guards: {
      platform: async (req, reply) => {
        if (isPlatform(req, platformToken)) return true;
        await deny(reply, 403, PLATFORM_ONLY);
        return false;
      },
      app: async (req, reply) => {
        const code = String((req.params as { code?: string }).code ?? '');
        const a = await appFromHeaders(db, req, code);
        if (a) setPrincipal(req, a);
        else await deny(reply, 403, `expected X-APP-CODE: ${code} with that app's X-APP-TOKEN`);
        return a !== undefined;
      },
      agent: async (req, reply) => {
        const s = await serverFromHeaders(db, req);
        if (s) setPrincipal(req, s);
        else await deny(reply, 403, 'expected X-ID and X-TOKEN of a registered agent server');
        return s !== undefined;
      },
    },
    routes: {
      '/v1/apps/': 'platform',
      '/v1/apps/:code/secret/': 'platform',
      '/v1/apps/*': 'app',
      '/v1/apps/:code/events/:id': 'agent',
      '/v1/apps/:code/events/:id/': 'agent',
      '/v1/agents/*': 'platform',
    },
  };
}

/** The app the `app` guard let in (routes guarded by it only). */
export const guardedApp = (req: FastifyRequest): AuthedApp => principal<AuthedApp>(req)!;
/** The agent server the `agent` guard let in. */
export const guardedServer = (req: FastifyRequest): ServerRow => principal<ServerRow>(req)!;
