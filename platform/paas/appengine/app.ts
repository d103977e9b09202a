import type { FastifyInstance } from 'fastify';
import type { PaasConfig } from '../common/config/config';
import type { Pool } from '../common/db/pool';
import { registerHealthz } from '../common/http/healthz';
import { createApp } from '../common/http/server';
import { openRedis } from '../common/redis/redis';
import { callAgent } from './agents/client';
import { agentRoutes } from './agents/routes';
import { activeServers } from './agents/store';
import { appInfoRoutes } from './apps';
import { engineGuards } from './auth';
import { eventRoutes } from './events/routes';
import type { LicenseGate } from './license';
import { registerRoutes } from './register';
import { reconcileBrokers } from './releases/broker';
import { databaseRoutes } from './releases/database-routes';
import { releaseRoutes } from './releases/routes';
import { saasRoutes } from './saas/routes';

/**
 * The appengine program (port 8000): `/v1/apps/` registration, app info, releases, events and
 * agents; `/v1/healthz/` checks the database and every active agent. `license`, when given, is
 * asked before every deploy.
 */
export function buildAppengineApp(d: {
  config: PaasConfig;
  db: Pool;
  log?: boolean;
  license?: LicenseGate;
}): FastifyInstance {
  const app = createApp({
    program: 'appengine',
    config: d.config,
    log: d.log,
    guards: engineGuards(d.db, d.config.secrets.ESB_TOKEN),
  });
  registerHealthz(app, ['/v1/healthz/', '/healthz/'], { database: () => d.db.query('SELECT 1') }, undefined, {
    // Shown, not gating: a stopped agent (stop all, then start all in module order) must not keep
    // appengine from starting.
    agents: async () => {
      const bad: string[] = [];
      for (const s of await activeServers(d.db))
        await callAgent(s, 'GET', '/v1/app/healthz', undefined, 2_000).catch(() =>
          bad.push(`${s.category} ${s.ip_address}`),
        );
      if (bad.length) throw new Error(`agents not answering: ${bad.join(', ')}`);
    },
  });
  // Celery brokers live in the platform Redis; ACL users it lost in a restart are put back
  const redis = openRedis(d.config.redis, (e) => app.log.warn(`redis: ${e.message}`), 2_000);
  const reconcile = setInterval(
    () =>
      reconcileBrokers(d.db, redis).then(
        (n) => n && app.log.info(`redis: ${n} Celery broker accounts restored`),
        (e: Error) => app.log.warn(`redis: restoring broker accounts: ${e.message}`),
      ),
    30_000,
  );
  reconcile.unref();
  app.addHook('onClose', async () => {
    clearInterval(reconcile);
    await redis.close();
  });
  registerRoutes(app, d.db);
  appInfoRoutes(app, d.db);
  releaseRoutes(app, d.db, d.config.db, { redis, cfg: d.config.redis }, d.license);
  eventRoutes(app, d.db);
  agentRoutes(app, d.db);
  saasRoutes(app, d.db);
  databaseRoutes(app, d.db, redis);
  return app;
}
