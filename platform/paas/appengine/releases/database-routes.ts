import type { FastifyInstance } from 'fastify';
import { exec, one, type Pool } from '../../common/db/pool';
import type { RedisHandle } from '../../common/redis/redis';
import { deny } from '../auth';
import { dropBrokers } from './broker';
import { dropAppDatabase } from './database';

/**
 * `DELETE /v1/apps/<code>/database/` (platform headers): the app was deleted in the developer
 * center; drop its MySQL database and account and its Celery brokers. Answers whether there was
 * a database and how many brokers went.
 */
export function databaseRoutes(app: FastifyInstance, db: Pool, redis: RedisHandle): void {
  app.delete<{ Params: { code: string } }>(
    '/v1/apps/:code/database/',
    { config: { auth: 'platform' } },
    async (req, reply) => {
      const a = await one<{ id: number }>(db, 'SELECT id FROM engine_apps WHERE app_code = ?', [
        req.params.code,
      ]);
      if (!a) return deny(reply, 404, `no app ${req.params.code}`);
      const brokers = await dropBrokers(db, redis, a.id);
      const dropped = await dropAppDatabase(db, a.id);
      await exec(db, 'DELETE FROM engine_app_envs WHERE bk_app_id = ?', [a.id]); // they held its passwords
      return { result: true, message: '', data: { dropped, brokers } };
    },
  );
}
