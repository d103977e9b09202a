import { createServer } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import type { PaasConfig } from '../common/config/config';
import { openDb, type Pool } from '../common/db/pool';
import { registerHealthz } from '../common/http/healthz';
import { APP_SECRETS, subscribe } from '../common/redis/invalidate';
import { openRedis, type RedisHandle } from '../common/redis/redis';
import { AccessTokens } from './auth/access-token';
import { AppAuth } from './auth/app';
import { frontDoorCheck } from './auth/front-door';
import { NonceStore } from './auth/nonces';
import { PermCheck } from './auth/perm';
import { UserAuth } from './auth/user';
import { Whitelists } from './auth/whitelist';
import { Catalog } from './catalog/catalog';
import { CODE } from './codes';
import { builtinComponents } from './components/builtin';
import { confapiComponents } from './confapis/index';
import { installFastPath } from './fast/install';
import { PlatformClient } from './forward/platform';
import { Gateway, type Incoming } from './gateway';
import { envelopeOut, internalOut, serveRaw } from './http';
import { M } from './i18n/messages';
import { EsbLogs } from './log/log';
import { RateLimiter } from './ratelimit/limiter';
import type { EsbSettings } from './settings';

/** A running ESB: the Fastify app plus what must be closed. */
export interface EsbServer {
  app: FastifyInstance;
  catalog: Catalog;
  close(): Promise<void>;
}

const COMPAPI = '/c/compapi/';
const SELF_SERVICE = '/c/self-service-api/';

/**
 * Build the ESB program: `/c/compapi/*`, `/c/self-service-api/*`, `/healthz/`. Opens its own
 * MySQL pool and Redis client and loads the channel catalog before answering.
 */
export async function createEsbServer(config: PaasConfig, settings: EsbSettings): Promise<EsbServer> {
  const logs = new EsbLogs(config.logDir);
  const db: Pool = openDb(config.db, { connectionLimit: 20 });
  const redis: RedisHandle = openRedis(config.redis, (e) => logs.info(`redis: ${e.message}`));
  const token = config.secrets.ESB_TOKEN;
  const login = new PlatformClient(config.urls.login, token);
  const cacheMs = settings.cacheSec * 1000;
  const catalog = new Catalog(db, confapiComponents(settings.systems), logs.info);
  try {
    await catalog.start(
      builtinComponents({
        login,
        paas: new PlatformClient(config.urls.paas, token),
        catalog: () => catalog.current,
      }),
      settings.refreshSec * 1000,
    );
  } catch (e) {
    await Promise.all([db.end(), redis.close(), logs.close()]);
    throw new Error(`esb could not load its channels from MySQL: ${(e as Error).message}`);
  }
  const lists = new Whitelists(db, cacheMs);
  const appAuth = new AppAuth(db, cacheMs, lists, new NonceStore(redis, logs.info));
  // paas announces rotated and deleted secrets: forget them before the next call
  const secretNews = subscribe(
    config.redis,
    APP_SECRETS,
    (code) => appAuth.forget(code),
    () => appAuth.forget(),
  );
  const gateway = new Gateway({
    catalog,
    appAuth,
    userAuth: new UserAuth(lists, login, cacheMs),
    tokens: new AccessTokens(db),
    fromFrontDoor: frontDoorCheck(token),
    perms: new PermCheck(db, cacheMs),
    limiter: new RateLimiter(redis, logs.info),
    logs,
  });

  // ESB paths handed to node:http skip Fastify too; everything else (healthz, 404) goes through it.
  const crash = (e: Error) => logs.info(`esb request failed: ${e.message}`);
  const compapi = (inc: Incoming) => gateway.compapi(inc);
  const selfService = (inc: Incoming) => gateway.selfService(inc);
  const app = Fastify({
    logger: false,
    trustProxy: config.trustProxy,
    serverFactory: (fastify) =>
      createServer((req, res) => {
        const url = req.url ?? '';
        if (url.startsWith(COMPAPI)) serveRaw(req, res, COMPAPI, compapi, crash);
        else if (url.startsWith(SELF_SERVICE)) serveRaw(req, res, SELF_SERVICE, selfService, crash);
        else fastify(req, res);
      }),
  });
  // Most calls never reach node:http's request objects: see fast/install.ts.
  const fast = installFastPath(
    app.server,
    [
      { prefix: COMPAPI, fn: compapi },
      { prefix: SELF_SERVICE, fn: selfService },
    ],
    crash,
  );
  registerHealthz(app, ['/healthz/'], {
    database: () => db.query('SELECT 1'),
    catalog: async () => {
      if (catalog.current.systems.length === 0)
        throw new Error('esb_component_system is empty (run manage esb-sync)');
    },
  });
  // Not an ESB path at all (components live under /c/compapi/ and /c/self-service-api/).
  app.setNotFoundHandler((req, reply) => {
    const out = envelopeOut(
      404,
      CODE.COMPONENT_NOT_FOUND,
      M.unknownPath(req.url.split('?')[0]!.slice(0, 200)),
      req.headers,
    );
    return reply.code(out.status).send('json' in out ? out.json : null);
  });
  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) logs.info(`esb request failed: ${err.message}`);
    const out =
      status === 500 ? internalOut(req.headers) : envelopeOut(status, CODE.COMMON, err.message, req.headers);
    return reply.code(status).send('json' in out ? out.json : null);
  });
  return {
    app,
    catalog,
    async close() {
      catalog.stop();
      fast.close();
      await app.close();
      await Promise.all([db.end(), redis.close(), secretNews.close()]);
      await logs.close();
    },
  };
}
