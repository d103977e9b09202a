import { loadConfig } from '../common/config/config';
import { openDb } from '../common/db/pool';
import { listen } from '../common/http/server';
import { openRedis } from '../common/redis/redis';
import { buildLoginApp } from './app';

/** Entry of the login program (port 8003): `node login.mjs --config /path/paas.json`. */
async function main(): Promise<void> {
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
  const stop = async () => {
    await app?.close();
    await Promise.allSettled([db.end(), redis.close()]);
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  await listen(app, { program: 'login', config });
}

main().catch((e) => {
  console.error(`login: ${(e as Error).message}`);
  process.exit(1);
});
