import type { FastifyInstance } from 'fastify';
import type { PaasConfig } from '../common/config/config';
import type { Pool } from '../common/db/pool';
import { registerHealthz } from '../common/http/healthz';
import { createApp } from '../common/http/server';
import { callAgent } from './agents/client';
import { agentRoutes } from './agents/routes';
import { activeServers } from './agents/store';
import { appInfoRoutes } from './apps';
import { engineGuards } from './auth';
import { eventRoutes } from './events/routes';
import type { LicenseGate } from './license';
import { registerRoutes } from './register';
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
  registerRoutes(app, d.db);
  appInfoRoutes(app, d.db);
  releaseRoutes(app, d.db, d.config.db, d.license);
  eventRoutes(app, d.db);
  agentRoutes(app, d.db);
  saasRoutes(app, d.db);
  databaseRoutes(app, d.db);
  return app;
}
