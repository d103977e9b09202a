import type { FastifyInstance } from 'fastify';
import type { PaasConfig } from '../common/config/config';
import type { Pool } from '../common/db/pool';
import { fetchJson } from '../common/http/client';
import { registerHealthz } from '../common/http/healthz';
import { createApp } from '../common/http/server';
import { openRedis, type RedisHandle } from '../common/redis/redis';
import { adminRoutes } from './admin/routes';
import { apiRoutes } from './api/routes';
import { EngineClient } from './apps/engine-client';
import { appRoutes } from './apps/routes';
import { secretRoutes } from './apps/secret';
import { paasGuards } from './auth/guards';
import { LoginClient } from './auth/login-client';
import type { PaasCtx } from './context';
import { docRoutes } from './docs/routes';
import { homeRoutes } from './home/routes';
import { releaseRoutes } from './release/routes';
import { saasRoutes } from './saas/routes';
import { serverRoutes } from './servers/routes';
import { PAAS_JS } from './views';

/** What the paas program runs on; `loginCacheMs` is overridable for tests. */
export interface PaasDepsIn {
  config: PaasConfig;
  db: Pool;
  log?: boolean;
  loginCacheMs?: number;
  /** Redis for announcements; opened (and closed with the app) from the config when absent. */
  redis?: RedisHandle;
  /** The platform certificate whose days left the home page shows (superusers). */
  licenseCert?: string;
}

/** The developer center (port 8001). */
export function buildPaasApp(d: PaasDepsIn): { app: FastifyInstance; ctx: PaasCtx } {
  const ctx: PaasCtx = {
    config: d.config,
    db: d.db,
    csrf: {
      cookieName: 'bk_csrftoken',
      secret: d.config.secrets.SECRET_KEY,
      secure: d.config.domains.HTTP_SCHEMA === 'https',
    },
    login: new LoginClient(d.config, d.loginCacheMs),
    engine: new EngineClient(d.config),
    redis: d.redis ?? openRedis(d.config.redis),
    licenseCert: d.licenseCert,
  };
  const app = createApp({
    program: 'paas',
    config: d.config,
    log: d.log,
    assets: { 'paas.js': ['text/javascript; charset=utf-8', PAAS_JS] },
    guards: paasGuards(ctx),
  });
  registerHealthz(app, ['/healthz/'], {
    database: () => d.db.query('SELECT 1'),
    login: () => fetchJson(`${d.config.urls.login}/healthz/`, { timeoutMs: 2_000 }),
    appengine: () => fetchJson(`${d.config.urls.appengine}/v1/healthz/`, { timeoutMs: 2_000 }),
  });
  if (!d.redis) app.addHook('onClose', () => ctx.redis.close());
  homeRoutes(app, ctx);
  appRoutes(app, ctx);
  secretRoutes(app, ctx);
  adminRoutes(app, ctx);
  docRoutes(app, ctx);
  apiRoutes(app, ctx);
  releaseRoutes(app, ctx);
  saasRoutes(app, ctx);
  serverRoutes(app, ctx);
  return { app, ctx };
}
