import type { FastifyInstance } from 'fastify';
import { buildAppengineApp } from '../../platform/paas/appengine/app';
import type { PaasConfig } from '../../platform/paas/common/config/config';
import { openRedis, type RedisHandle } from '../../platform/paas/common/redis/redis';
import { buildLoginApp } from '../../platform/paas/login/app';
import { createAdmin } from '../../platform/paas/login/users/admin';
import { buildPaasApp } from '../../platform/paas/paas/app';
import type { PaasDeps } from './paas';

/** login, appengine and paas running in this process on free ports, wired to each other. */
export interface Platform {
  config: PaasConfig;
  login: string;
  appengine: string;
  paas: string;
  /** The programs themselves (route tables, inject). */
  apps: { login: FastifyInstance; appengine: FastifyInstance; paas: FastifyInstance };
  stop(): Promise<void>;
}

/** Start the three programs over `deps`; creates the superuser from the config. */
export async function startPlatform(
  deps: PaasDeps,
  o: { loginCacheMs?: number; host?: string } = {},
): Promise<Platform> {
  const host = o.host ?? '127.0.0.1';
  const redis: RedisHandle = openRedis(deps.config.redis);
  await createAdmin(deps.db, deps.config.admin.PAAS_ADMIN_USER, deps.config.admin.PAAS_ADMIN_PASS!);
  const apps: FastifyInstance[] = [];
  const login = buildLoginApp({ config: deps.config, db: deps.db, redis, log: false }).app;
  const engine = buildAppengineApp({ config: deps.config, db: deps.db, log: false });
  apps.push(login, engine);
  const loginUrl = await login.listen({ host, port: 0 });
  const engineUrl = await engine.listen({ host, port: 0 });
  const config: PaasConfig = {
    ...deps.config,
    urls: { ...deps.config.urls, login: loginUrl, appengine: engineUrl },
  };
  const paas = buildPaasApp({ config, db: deps.db, log: false, loginCacheMs: o.loginCacheMs }).app;
  apps.push(paas);
  const paasUrl = await paas.listen({ host, port: 0 });
  return {
    config,
    login: loginUrl,
    appengine: engineUrl,
    paas: paasUrl,
    apps: { login, appengine: engine, paas },
    async stop() {
      for (const a of apps.reverse()) await a.close();
      await redis.close();
    },
  };
}
