import type { FastifyInstance } from 'fastify';
import type { Pool } from '../common/db/pool';
import { appFromHeaders, deny } from './auth';
import { loadEnvs } from './releases/server';

/** `GET /v1/apps/<code>/` (app headers): the app, its token and its stored envs by mode. */
export function appInfoRoutes(app: FastifyInstance, db: Pool): void {
  app.get<{ Params: { code: string } }>('/v1/apps/:code/', async (req, reply) => {
    const a = await appFromHeaders(db, req, req.params.code);
    if (!a) return deny(reply, 403, `expected X-APP-CODE: ${req.params.code} with that app's X-APP-TOKEN`);
    return {
      result: true,
      message: '',
      data: { ...a, is_active: a.is_active === 1, app_envs: await loadEnvs(db, a.id) },
    };
  });
}
