import { execFile } from 'node:child_process';
import { chmod, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHeaders, call, finalEvent } from '../../../test/support/agent/engine';
import { bareRepo, sampleApp, startGitDaemon } from '../../../test/support/agent/host';
import {
  buildPackage,
  cleanupInstall,
  localEngine,
  paasVars,
  statusLines,
} from '../../../test/support/engine';
import { failureText } from '../../../test/support/events';
import { defineProvisioning, type MariaDb, startMariadb } from '../../../test/support/mariadb';
import { freePort, tempDir } from '../../../test/support/ports';
import { type RedisServer, startRedis } from '../../../test/support/redis';
import { apptModule } from '../appt/module';
import { paasModule } from '../paas/module';

describe('appt module on this machine', () => {
  let root: string;
  let db: MariaDb;
  let redis: RedisServer;
  let vars: Record<string, string>;
  let h: ReturnType<typeof localEngine>;
  let engineUrl: string;

  beforeAll(async () => {
    root = await tempDir('appt-mod');
    await chmod(root, 0o755); // the apps user must reach INSTALL_PATH
    [db, redis] = await Promise.all([startMariadb(), startRedis()]);
    await defineProvisioning(db);
    await buildPackage(join(root, 'pkg'));
    const ip = '127.0.0.1';
    vars = {
      ...(await paasVars(join(root, 'bkce'), db, redis, 'Adm1n!pass')),
      APPT_IP: ip,
      APPT_IP0: ip,
      PAASAGENT_PORT: String(await freePort()),
      APP_NGINX_PORT: String(await freePort()),
      // per-app users of this test only
      APPS_USER_PREFIX: `m${Math.random().toString(36).slice(2, 6)}-`,
    };
    engineUrl = `http://${ip}:${vars.APPENGINE_PORT}`;
    h = localEngine({
      controlDir: join(root, 'ctrl'),
      pkgDir: join(root, 'pkg'),
      modules: [paasModule, apptModule],
      vars,
    });
  });
  afterAll(async () => {
    if (root) await cleanupInstall(join(root, 'bkce'));
    await promisify(execFile)('userdel', [`${vars?.APPS_USER_PREFIX}hello`]).catch(() => undefined);
    await Promise.allSettled([db?.stop(), redis?.stop()]);
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('deploys paas then appt: agent and its nginx running, server registered and active', async () => {
    const r = await h.engine.deploy();
    expect(r.ok, failureText(h.events)).toBe(true);
    const conf = join(vars.INSTALL_PATH!, 'etc/paas_agent/agent.json');
    const st = await stat(conf);
    expect([st.mode & 0o777, st.uid]).toEqual([0o640, 0]);
    // the API runs as the service user, the helper as root; both answer
    const ps = (await promisify(execFile)('ps', ['-eo', 'user:32,args'])).stdout.split('\n');
    const agentPs = ps.filter((l) => l.includes(vars.INSTALL_PATH!) && l.includes('paas_agent/bin/main.mjs'));
    expect(agentPs.find((l) => !l.includes(' helper '))).toMatch(/^blueking\s/);
    expect(agentPs.find((l) => l.includes(' helper '))).toMatch(/^root\s/);
    const cfg = JSON.parse(await readFile(conf, 'utf8'));
    expect(cfg).toMatchObject({
      mode: 'test',
      controllerUrl: engineUrl,
      userPrefix: vars.APPS_USER_PREFIX,
      listen: { host: '127.0.0.1' },
      allowFrom: ['127.0.0.1'],
    });
    const c = await mysql.createConnection({
      host: db.host,
      port: db.port,
      user: db.rootUser,
      password: db.rootPassword,
      database: 'open_paas',
    });
    const [servers] = (await c.query(
      'SELECT s_id, category, is_active, app_port FROM engine_servers',
    )) as unknown as [Record<string, unknown>[]];
    await c.end();
    expect(servers).toEqual([
      { s_id: cfg.sid, category: 'tapp', is_active: 1, app_port: Number(vars.APP_NGINX_PORT) },
    ]);
    h.events.length = 0;
    await h.engine.run('status', 'appt');
    const lines = statusLines(h.events);
    expect(
      lines.some((l) => /appt-agent\s+RUNNING/.test(l)) && lines.some((l) => /appt-nginx\s+RUNNING/.test(l)),
      lines.join('\n'),
    ).toBe(true);
  });

  it('runs an app deployed through appengine at /t/<code>/ as the apps user', async () => {
    const admin = { 'x-app-code': 'bk_paas', 'x-app-token': vars.ESB_TOKEN! };
    const { token } = (
      await call(engineUrl, '/v1/apps/', { json: { app_code: 'hello', name: 'Hello' }, headers: admin })
    ).body.data;
    await bareRepo(join(root, 'repos'), 'hello', sampleApp());
    const git = await startGitDaemon(join(root, 'repos'));
    const repo = git.url('hello');
    const envs = { APP_ID: 'hello', APP_TOKEN: token, BK_PAAS_HOST: 'http://paas.bking.com' };
    const r = await call(engineUrl, '/v1/apps/hello/test/releases/', {
      json: { envs, deploy_vars: { VCS_TYPE: 'git', VCS_PATH: repo } },
      headers: appHeaders('hello', token),
    });
    const ev = await finalEvent(engineUrl, 'hello', token, r.body.data.event_id);
    expect(ev.status, ev.logs).toBe('SUCCESS');
    const page = await call(`http://127.0.0.1:${vars.APP_NGINX_PORT}`, '/t/hello/');
    expect(page.body).toMatchObject({
      APP_ID: 'hello',
      BK_PAAS_HOST: 'http://paas.bking.com',
      BK_ENV: 'testing',
    });
    await git.stop();
    const { stdout } = await promisify(execFile)('id', ['-u', `${vars.APPS_USER_PREFIX}hello`]);
    expect(page.body.uid).toBe(Number(stdout));
    expect(page.body.uid).toBeGreaterThan(0);
  });

  it('re-runs the deploy keeping the server identity, with nothing changed', async () => {
    const before = await readFile(join(root, 'ctrl/.app_servers'), 'utf8');
    h.events.length = 0;
    const r = await h.engine.deploy();
    expect(r.ok, failureText(h.events)).toBe(true);
    expect(
      h.events
        .filter((e) => e.type === 'step' && e.outcome === 'changed')
        .map((e) => (e.type === 'step' ? `${e.module} ${e.step}` : '')),
    ).toEqual([]);
    expect(await readFile(join(root, 'ctrl/.app_servers'), 'utf8')).toBe(before);
    expect((await call(`http://127.0.0.1:${vars.APP_NGINX_PORT}`, '/t/hello/')).status).toBe(200);
  });
});
