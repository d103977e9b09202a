import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { PaasConfig } from '../../platform/paas/common/config/config';
import { exec } from '../../platform/paas/common/db/pool';
import { openRedis } from '../../platform/paas/common/redis/redis';
import { createEsbServer, type EsbServer } from '../../platform/paas/esb/server';
import { parseEsbSettings } from '../../platform/paas/esb/settings';
import { syncEsb } from '../../platform/paas/esb/sync/sync';
import { buildLoginApp } from '../../platform/paas/login/app';
import { createAdmin } from '../../platform/paas/login/users/admin';
import { buildPaasApp } from '../../platform/paas/paas/app';
import { type PaasDeps, startPaasDeps, testConfig } from './paas';
import { tempDir } from './ports';

/** What the echo back end saw last. */
export interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real back end: echoes calls as JSON; paths containing `slow`, `badjson`, `text`, `http500` misbehave. */
export async function startBackend(): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const s: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(s);
      const u = req.url ?? '';
      if (u.includes('slow')) return void setTimeout(() => res.end('{"result":true}'), 3_000);
      if (u.includes('badjson')) return void res.end('{"result": tru');
      if (u.includes('http500')) return void res.writeHead(500).end('{"result":false}');
      if (u.includes('text'))
        return void res.writeHead(200, { 'content-type': 'text/plain' }).end('plain words');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          result: true,
          code: 0,
          message: 'echo',
          data: { method: s.method, url: s.url, body },
        }),
      );
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

/** Everything an ESB test talks to: real MariaDB, Redis, login, paas, a back end and ESB itself. */
export interface EsbEnv {
  deps: PaasDeps;
  config: PaasConfig;
  esb: EsbServer;
  esbUrl: string;
  loginUrl: string;
  login: ReturnType<typeof buildLoginApp>;
  backend: Awaited<ReturnType<typeof startBackend>>;
  /** CC's test stage (`X-Use-Test-Env`); the same echo server, another port. */
  testBackend: Awaited<ReturnType<typeof startBackend>>;
  logDir: string;
  /** App `demo` (in paas_app) and its secret; app account `bk_sys` (esb_app_account) and its token. */
  app: { code: string; secret: string };
  account: { code: string; token: string };
  stop(): Promise<void>;
}

async function listenOn(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** Start the whole chain, seed an app, an app account and an admin user, run esb-sync once. */
export async function startEsbEnv(): Promise<EsbEnv> {
  const deps = await startPaasDeps();
  const logDir = await tempDir('esb-log');
  const login = buildLoginApp({
    config: deps.config,
    db: deps.db,
    redis: openRedis(deps.config.redis),
    log: false,
  });
  const loginUrl = await listenOn(login.app);
  const paasCfg = testConfig(deps.mariadb, deps.redis, {
    secrets: deps.config.secrets,
    urls: { login: loginUrl },
  });
  const paas = buildPaasApp({ config: paasCfg, db: deps.db, log: false });
  const paasUrl = await listenOn(paas.app);
  const backend = await startBackend();
  const testBackend = await startBackend();
  const config = testConfig(deps.mariadb, deps.redis, {
    secrets: deps.config.secrets,
    urls: { login: loginUrl, paas: paasUrl },
    logDir,
  });
  await createAdmin(deps.db, 'admin', 'Blueking123');
  const app = { code: 'demo', secret: randomUUID() };
  const account = { code: 'bk_sys', token: randomUUID() };
  await exec(
    deps.db,
    "INSERT INTO paas_app (name, code, introduction, creater, auth_token) VALUES ('Demo', ?, '', 'admin', ?)",
    [app.code, app.secret],
  );
  await exec(deps.db, 'INSERT INTO esb_app_account (app_code, app_token) VALUES (?, ?)', [
    account.code,
    account.token,
  ]);
  await syncEsb(deps.db);
  const settings = parseEsbSettings(
    {
      systems: { CC: { host: backend.url, testHost: testBackend.url }, SOPS: { host: backend.url } },
      cacheSec: 1,
      refreshSec: 60,
    },
    'test',
  );
  const esb = await createEsbServer(config, settings);
  const esbUrl = await listenOn(esb.app);
  return {
    deps,
    config,
    esb,
    esbUrl,
    loginUrl,
    login,
    backend,
    testBackend,
    logDir,
    app,
    account,
    async stop() {
      await esb.close();
      for (const b of [backend, testBackend]) b.server.closeAllConnections();
      await Promise.all([
        login.app.close(),
        paas.app.close(),
        ...[backend, testBackend].map((b) => new Promise((r) => b.server.close(r))),
      ]);
      await login.ctx.redis.close();
      await deps.stop();
      await rm(logDir, { recursive: true, force: true });
    },
  };
}
