import { loadConfig } from '../common/config/config';
import { openDb } from '../common/db/pool';
import { serve, start } from '../common/http/program';
import { openRedis } from '../common/redis/redis';
import { buildLoginApp } from './app';

/** Entry of the login program (port 8003): `node login.mjs --config /path/paas.json`. */
start('login', async () => {
  const config = loadConfig();
  const db = openDb(config.db);
  let app: ReturnType<typeof buildLoginApp>['app'] | undefined;
  const redis = openRedis(config.redis, (e) =>
    app?.log.warn(`redis unavailable, using MySQL only: ${e.message}`),
  );
  const built = buildLoginApp({ config, db, redis });
  app = built.app;
  const purge = setInterval(() => built.ctx.tokens.purgeExpired().catch((e) => app?.log.error(e)), 3_600_000);
  purge.unref();
  await serve(app, 'login', config, () => Promise.allSettled([db.end(), redis.close()]));
});
