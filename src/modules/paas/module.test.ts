// The paas module on this machine against real MariaDB and Redis: install, initdata (twice: nothing
// duplicated), start with the health gate, per-project restart and status, and a no-change re-run.
import { randomBytes } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MariaDb, startMariadb } from '../../../test/support/mariadb';
import { freePort, tempDir } from '../../../test/support/ports';
import { type RedisServer, startRedis } from '../../../test/support/redis';
import { paasModule } from './module';
import {
  buildPackage,
  cleanupInstall,
  failures,
  localEngine,
  outcomes,
  statusLines,
} from './testing/harness';
import { PLATFORM_APP_CODES } from './tokens';

describe('paas module on this machine', () => {
  let root: string;
  let db: MariaDb;
  let redis: RedisServer;
  let vars: Record<string, string>;
  let h: ReturnType<typeof localEngine>;
  const query = async <T>(sql: string): Promise<T[]> => {
    const c = await mysql.createConnection({
      host: db.host,
      port: db.port,
      user: db.rootUser,
      password: db.rootPassword,
      database: 'open_paas',
    });
    try {
      return (await c.query(sql))[0] as T[];
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    root = await tempDir('paas-mod');
    [db, redis] = await Promise.all([startMariadb(), startRedis()]);
    await buildPackage(join(root, 'pkg'));
    const ip = '127.0.0.1';
    vars = {
      INSTALL_PATH: join(root, 'bkce'),
      LAN_IP: ip,
      HAS_DNS_SERVER: '1',
      PAAS_FQDN: 'paas.bking.com',
      MYSQL_HOST: db.host,
      MYSQL_PORT: String(db.port),
      MYSQL_USER: db.rootUser,
      MYSQL_PASS: db.rootPassword,
      REDIS_HOST: redis.host,
      REDIS_PORT: String(redis.port),
      REDIS_PASS: redis.password,
      PAAS_DOMAIN: 'paas.bking.com',
      PAAS_INNER_DOMAIN: 'paas.service.consul:80',
      BK_COOKIE_DOMAIN: '.bking.com',
      HTTP_SCHEMA: 'http',
      ESB_SECRET_KEY: randomBytes(30).toString('base64url'),
      ESB_TOKEN: randomBytes(20).toString('hex'),
      PAAS_ADMIN_USER: 'admin',
      PAAS_ADMIN_PASS: 'Adm1n!pass"quote',
      CONSUL_HTTP_PORT: String(await freePort()),
      PAAS_IP: ip,
    };
    for (const p of ['APPENGINE', 'PAAS', 'ESB', 'LOGIN']) {
      vars[`${p}_PORT`] = String(await freePort());
      vars[`PAAS_${p}_IP`] = ip;
    }
    h = localEngine({
      controlDir: join(root, 'ctrl'),
      pkgDir: join(root, 'pkg'),
      modules: [paasModule],
      vars,
    });
  });
  afterAll(async () => {
    if (root) await cleanupInstall(join(root, 'bkce'));
    await Promise.allSettled([db?.stop(), redis?.stop()]);
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('deploys: install, initdata, start with every program healthy', async () => {
    const r = await h.engine.deploy();
    expect(r.ok, failures(h.events)).toBe(true);
    const conf = join(vars.INSTALL_PATH!, 'etc', 'open_paas.json');
    expect((await stat(conf)).mode & 0o777).toBe(0o600);
    const parsed = JSON.parse(await readFile(conf, 'utf8'));
    expect(parsed.listen.ports.esb).toBe(Number(vars.ESB_PORT));
    expect(parsed.urls.login).toBe(`http://127.0.0.1:${vars.LOGIN_PORT}`);
    expect(parsed).not.toHaveProperty('admin.PAAS_ADMIN_PASS');
    const tokens = await stat(join(root, 'ctrl', '.app.token'));
    expect(tokens.mode & 0o777).toBe(0o600);
    const admins = await query<{ n: number }>(
      "SELECT COUNT(*) AS n FROM bkaccount_bkuser WHERE username = 'admin'",
    );
    expect(Number(admins[0]!.n)).toBe(1);
    const accounts = await query<{ app_code: string }>(
      'SELECT app_code FROM esb_app_account ORDER BY app_code',
    );
    expect(accounts.map((a) => a.app_code)).toEqual([...PLATFORM_APP_CODES].sort());
    const wl = await query<{ wlist: string }>(
      "SELECT wlist FROM esb_function_controller WHERE func_code = 'user_auth::skip_user_auth'",
    );
    for (const code of PLATFORM_APP_CODES) expect(wl[0]!.wlist).toContain(code);
  });

  it('re-runs deploy with no change and keeps the tokens', async () => {
    const before = await readFile(join(root, 'ctrl', '.app.token'), 'utf8');
    h.events.length = 0;
    const r = await h.engine.deploy();
    expect(r.ok, failures(h.events)).toBe(true);
    expect(h.events.filter((e) => e.type === 'step' && e.outcome === 'changed')).toEqual([]);
    expect(await readFile(join(root, 'ctrl', '.app.token'), 'utf8')).toBe(before);
    h.events.length = 0;
    expect((await h.engine.run('initdata', 'paas')).ok).toBe(true);
    const accounts = await query<{ n: number }>('SELECT COUNT(*) AS n FROM esb_app_account');
    expect(Number(accounts[0]!.n)).toBe(PLATFORM_APP_CODES.length);
  });

  it('restarts one project only and reports status per program', async () => {
    const pids = async () => {
      h.events.length = 0;
      await h.engine.run('status', 'paas');
      return Object.fromEntries(
        statusLines(h.events).map((l) => [/paas-(\w+)/.exec(l)![1], /pid (\d+)/.exec(l)?.[1]]),
      );
    };
    const before = await pids();
    expect(Object.keys(before).sort()).toEqual(['appengine', 'esb', 'login', 'paas']);
    const one = localEngine({
      controlDir: join(root, 'ctrl'),
      pkgDir: join(root, 'pkg'),
      modules: [paasModule],
      vars,
      projects: ['esb'],
    });
    const r = await one.engine.run('restart', 'paas');
    expect(r.ok, failures(one.events)).toBe(true);
    expect(outcomes(one.events, 'paas', 'restart')).toContain('restart:changed');
    const after = await pids();
    expect(after.esb).not.toBe(before.esb);
    expect(after.login).toBe(before.login);
    expect(after.paas).toBe(before.paas);
  });

  it('upgrades with a rolling restart and every program healthy again', async () => {
    const before = statusPids(await statusOf(h));
    h.events.length = 0;
    const r = await h.engine.run('upgrade', 'paas');
    expect(r.ok, failures(h.events)).toBe(true);
    const steps = outcomes(h.events, 'paas', 'upgrade');
    expect(steps).toEqual(
      expect.arrayContaining(['data-migrate:ok', 'restart-restart:changed', 'restart-healthy:ok']),
    );
    const after = statusPids(await statusOf(h));
    for (const p of ['appengine', 'paas', 'esb', 'login']) expect(after[p]).not.toBe(before[p]);
  });
});

async function statusOf(x: ReturnType<typeof localEngine>): Promise<string[]> {
  x.events.length = 0;
  await x.engine.run('status', 'paas');
  return statusLines(x.events);
}

/** program → pid from supervisor status lines. */
function statusPids(lines: string[]): Record<string, string | undefined> {
  return Object.fromEntries(lines.map((l) => [/paas-(\w+)/.exec(l)![1], /pid (\d+)/.exec(l)?.[1]]));
}
