import { randomBytes } from 'node:crypto';
import { provisionProcedures } from '../../lib/mysql/provision';
import { type PaasConfig, parseConfig } from '../../platform/paas/common/config/config';
import { ensureDatabase, migrate } from '../../platform/paas/common/db/migrate';
import { exec, openDb, type Pool } from '../../platform/paas/common/db/pool';
import { MIGRATIONS } from '../../platform/paas/migrations/index';
import { type MariaDb, startMariadb } from './mariadb';
import { type RedisServer, startRedis } from './redis';

/** Real MariaDB + Redis with a migrated `open_paas` and a config pointing at them. */
export interface PaasDeps {
  mariadb: MariaDb;
  redis: RedisServer;
  config: PaasConfig;
  db: Pool;
  stop(): Promise<void>;
}

/** A valid config for tests; `over` replaces top-level sections. */
export function testConfig(
  m: Pick<MariaDb, 'host' | 'port' | 'rootUser' | 'rootPassword'>,
  r: Pick<RedisServer, 'host' | 'port' | 'password'>,
  over: Record<string, unknown> = {},
): PaasConfig {
  return parseConfig(
    {
      db: { host: m.host, port: m.port, user: m.rootUser, password: m.rootPassword, database: 'open_paas' },
      redis: { host: r.host, port: r.port, password: r.password },
      domains: {
        PAAS_DOMAIN: 'paas.bking.com',
        PAAS_INNER_DOMAIN: 'paas.bking.com',
        BK_COOKIE_DOMAIN: '.bking.com',
        HTTP_SCHEMA: 'http',
      },
      secrets: { SECRET_KEY: randomBytes(24).toString('hex'), ESB_TOKEN: randomBytes(24).toString('hex') },
      admin: { PAAS_ADMIN_USER: 'admin', PAAS_ADMIN_PASS: 'Blueking123' },
      // existing tests read English pages in UTC; i18n tests set `i18n` (the platform default is zh-cn)
      i18n: { language: 'en', timeZone: 'UTC' },
      ...over,
    },
    'test config',
  );
}

/** Start MariaDB and Redis, create and migrate `open_paas`, define the app-database procedures. */
export async function startPaasDeps(): Promise<PaasDeps> {
  const [mariadb, redis] = await Promise.all([startMariadb(), startRedis()]);
  const config = testConfig(mariadb, redis);
  await ensureDatabase(config.db);
  const db = openDb(config.db);
  await migrate(db, MIGRATIONS);
  // root's app-database procedures, as `initdata mysql` defines them (appengine calls them)
  for (const q of provisionProcedures()) await exec(db, q);
  return {
    mariadb,
    redis,
    config,
    db,
    async stop() {
      await db.end();
      await Promise.all([mariadb.stop(), redis.stop()]);
    },
  };
}
