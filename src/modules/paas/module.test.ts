import { execFileSync } from 'node:child_process';
import { chmod, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildPackage,
  cleanupInstall,
  localEngine,
  outcomes,
  paasVars,
  statusLines,
} from '../../../test/support/engine';
import { failureText } from '../../../test/support/events';
import { type MariaDb, startMariadb } from '../../../test/support/mariadb';
import { tempDir } from '../../../test/support/ports';
import { type RedisServer, startRedis } from '../../../test/support/redis';
import { paasModule } from './module';
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
    await chmod(root, 0o755); // the programs run as the service user and must reach their files
    [db, redis] = await Promise.all([startMariadb(), startRedis()]);
    await buildPackage(join(root, 'pkg'));
    vars = await paasVars(join(root, 'bkce'), db, redis, 'Adm1n!pass"quote');
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
    expect(r.ok, failureText(h.events)).toBe(true);
    const conf = join(vars.INSTALL_PATH!, 'etc', 'open_paas.json');
    expect((await stat(conf)).mode & 0o777).toBe(0o640);
    expect(execFileSync('stat', ['-c', '%U:%G', conf], { encoding: 'utf8' }).trim()).toBe('root:blueking');
    // Every program runs as the service user (supervisord, their parent, as root).
    const users = execFileSync(
      'bash',
      ['-c', `ps -o user=,args= -C node | grep -F ${vars.INSTALL_PATH}/open_paas/ || true`],
      {
        encoding: 'utf8',
      },
    );
    expect(
      users
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual(['blueking', 'blueking', 'blueking', 'blueking']);
    const parsed = JSON.parse(await readFile(conf, 'utf8'));
    expect(parsed.listen.ports.esb).toBe(Number(vars.ESB_PORT));
    expect(parsed.urls.login).toBe(`http://127.0.0.1:${vars.LOGIN_PORT}`);
    expect(parsed).not.toHaveProperty('admin.PAAS_ADMIN_PASS');
    expect(parsed.i18n.language).toBe('zh-cn'); // Chinese unless globals.env says BK_LANGUAGE=en
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
    expect(r.ok, failureText(h.events)).toBe(true);
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
    expect(r.ok, failureText(one.events)).toBe(true);
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
    expect(r.ok, failureText(h.events)).toBe(true);
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
