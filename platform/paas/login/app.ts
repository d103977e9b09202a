import type { FastifyInstance } from 'fastify';
import type { PaasConfig } from '../common/config/config';
import type { Pool } from '../common/db/pool';
import { registerHealthz } from '../common/http/healthz';
import { createApp } from '../common/http/server';
import type { RedisHandle } from '../common/redis/redis';
import type { LoginCtx } from './context';
import { DEFAULT_LIMITS, type LimitOptions, LoginLimiter } from './ratelimit';
import { adminRoutes } from './routes/admin';
import { apiRoutes } from './routes/api';
import { loginGuards } from './routes/guards';
import { pageRoutes } from './routes/pages';
import { TokenStore } from './tokens/tokens';

/** What the login program runs on; limits and token age are overridable for tests. */
export interface LoginDeps {
  config: PaasConfig;
  db: Pool;
  redis: RedisHandle;
  log?: boolean;
  limits?: Partial<LimitOptions>;
  tokenAgeSec?: number;
}

/** The login program: every route mounted both at `/` and under `/login` (reference §9.4). */
export function buildLoginApp(d: LoginDeps): { app: FastifyInstance; ctx: LoginCtx } {
  let warn = (_msg: string) => {};
  const ctx: LoginCtx = {
    config: d.config,
    db: d.db,
    redis: d.redis,
    tokens: new TokenStore(d.db, d.redis, d.tokenAgeSec),
    limiter: new LoginLimiter(d.redis, { ...DEFAULT_LIMITS, ...d.limits }, (m) => warn(m)),
    csrf: {
      cookieName: 'bklogin_csrftoken',
      secret: d.config.secrets.SECRET_KEY,
      secure: d.config.domains.HTTP_SCHEMA === 'https',
    },
  };
  const app = createApp({ program: 'login', config: d.config, log: d.log, guards: loginGuards(ctx) });
  warn = (m) => app.log.warn(m);
  for (const prefix of ['', '/login']) {
    app.register(
      async (scope) => {
        pageRoutes(scope, ctx);
        apiRoutes(scope, ctx);
        adminRoutes(scope, ctx);
        registerHealthz(scope, ['/healthz/'], {
          database: () => d.db.query('SELECT 1'),
          redis: () => d.redis.client.ping(),
        });
      },
      { prefix },
    );
  }
  return { app, ctx };
}
