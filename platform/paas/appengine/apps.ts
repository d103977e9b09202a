import type { FastifyInstance } from 'fastify';
import type { Pool } from '../common/db/pool';
import { guardedApp } from './auth';
import { loadEnvs } from './releases/server';

/** `GET /v1/apps/<code>/` (app headers): the app, its token and its stored envs by mode. */
export function appInfoRoutes(app: FastifyInstance, db: Pool): void {
  app.get<{ Params: { code: string } }>('/v1/apps/:code/', async (req) => {
    const a = guardedApp(req);
    return {
      result: true,
      message: '',
      data: { ...a, is_active: a.is_active === 1, app_envs: await loadEnvs(db, a.id) },
    };
  });
}
