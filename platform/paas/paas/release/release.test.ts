import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AgentHost,
  bareRepo,
  sampleApp,
  startAgentHost,
  startGitDaemon,
} from '../../../../test/support/agent/host';
import { Client } from '../../../../test/support/http';
import { type PaasDeps, startPaasDeps } from '../../../../test/support/paas';
import { type Platform, startPlatform } from '../../../../test/support/platform';
import { freePort, tempDir, waitFor } from '../../../../test/support/ports';
import { one } from '../../common/db/pool';
import { openRedis } from '../../common/redis/redis';
import { hashPassword } from '../../login/passwords/passwords';
import { createUser } from '../../login/users/store';

let deps: PaasDeps;
let p: Platform;
let root: string;
let git: Awaited<ReturnType<typeof startGitDaemon>>;
const hosts: AgentHost[] = [];

beforeAll(async () => {
  deps = await startPaasDeps();
  p = await startPlatform(deps, { loginCacheMs: 0 });
  await createUser(deps.db, {
    username: 'dev1',
    passwordHash: await hashPassword('Devpass123'),
    chname: 'dev1',
    phone: '',
    email: '',
    role: 2,
  });
  root = await tempDir('release-repos');
  await bareRepo(root, 'demo', sampleApp());
  await bareRepo(root, 'broken', { ...sampleApp(), 'index.js': 'process.exit(3);\n' });
  git = await startGitDaemon(root);
});
afterAll(async () => {
  for (const h of hosts) await h.stop();
  await git?.stop();
  await p?.stop();
  await deps?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

async function as(user: string, pw: string): Promise<Client> {
  const l = new Client(p.login);
  expect((await l.signIn(user, pw)).status).toBe(302);
  const c = new Client(p.paas);
  c.jar.set('bk_token', l.jar.get('bk_token')!);
  return c;
}
const admin = () => as('admin', deps.config.admin.PAAS_ADMIN_PASS!);
const state = async () =>
  (await one<{ state: number }>(deps.db, "SELECT state FROM paas_app WHERE code = 'demo-app'"))!.state;

/** Add a server on the servers page, start an agent with the ID and token it shows, activate it. */
async function addServer(c: Client, mode: 'test' | 'prod'): Promise<AgentHost> {
  const port = await freePort();
  const added = await c.submit('/engine/server/', '/engine/server/', {
    agent_ip: '127.0.0.1',
    agent_port: String(port),
    web_port: '8085',
    mode,
  });
  expect(decodeURIComponent(added.location!)).toMatch(/Server 127.0.0.1 added/);
  const page = (await c.req('/engine/server/')).text;
  const row = [...page.matchAll(/<tr id="server-(\d+)">([\s\S]*?)<\/tr>/g)].find((m) =>
    m[2]!.includes(`127.0.0.1:${port}`),
  )!;
  const [, sid, token] = /<td class="mono small">([0-9a-f-]{36})<br>([0-9a-f-]{36})<\/td>/.exec(row[2]!)!;
  const h = await startAgentHost(mode, p.appengine, { sid, token, listen: { host: '127.0.0.1', port } });
  hosts.push(h);
  const act = await c.submit('/engine/server/', '/engine/server/active/', { server_id: row[1]! });
  expect(decodeURIComponent(act.location!)).toContain(`is now the active ${mode} server`);
  const health = await c.submit('/engine/server/', `/engine/server/${row[1]}/healthz/`, {});
  expect(decodeURIComponent(health.location!)).toMatch(/is healthy \(MAC /);
  return h;
}

/** Press a deploy button; follow to the record and poll its task until it ends; returns the poll data. */
async function press(c: Client, op: 'test' | 'online' | 'offline', form: Record<string, string> = {}) {
  const r = await c.submit('/release/demo-app/', `/release/demo-app/${op}/`, form);
  expect(r.status).toBe(303);
  expect(r.location, decodeURIComponent(r.location ?? '')).toMatch(/\?record=\d+$/);
  const page = await c.req(r.location!);
  const src = /id="release-log" data-src="([^"]*)"/.exec(page.text)![1]!.replace(/&amp;/g, '&');
  for (let i = 0; i < 300; i++) {
    const t = (await c.req(src, { headers: { 'x-requested-with': 'XMLHttpRequest' } })).json();
    if (t.data.status !== 2) return t.data;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error('deploy did not finish');
}

describe('developer center: servers and deploys', () => {
  it('keeps the servers page for administrators', async () => {
    const d = await as('dev1', 'Devpass123');
    expect((await d.req('/engine/server/')).status).toBe(403);
    expect((await (await admin()).req('/engine/server/')).text).toContain('No app servers yet.');
  });

  it('walks an app through test, production and offline with the state machine', async () => {
    const c = await admin();
    const d = await as('dev1', 'Devpass123');
    expect(
      (await d.submit('/app/', '/app/', { code: 'demo-app', name: 'Demo', vcs_url: git.url('demo') })).status,
    ).toBe(303);
    await d.submit('/app/demo-app/env/', '/app/demo-app/env/', {
      name: 'GREETING',
      value: 'hi from paas',
      mode: 'all',
    });
    let page = (await d.req('/release/demo-app/')).text;
    expect(page).toContain('Not possible now: no active test server.');
    const refused = await d.submit('/release/demo-app/', '/release/demo-app/online/', {});
    expect(decodeURIComponent(refused.location!)).toContain('Refused: deploy the app to test first.');

    const t = await addServer(c, 'test');
    const done = await press(d, 'test');
    expect(done.status, done.logs).toBe(1);
    expect(done.logs).toMatch(/Job Done\s*$/);
    expect(done.app_test_url).toBe('http://paas.bking.com/t/demo-app/');
    expect(await state()).toBe(3);
    const app = await (await fetch(`http://127.0.0.1:${t.webPort}/t/demo-app/`)).json();
    expect(app).toMatchObject({
      APP_ID: 'demo-app',
      BK_PAAS_HOST: 'http://paas.bking.com',
      BKAPP_GREETING: 'hi from paas',
      BK_ENV: 'testing',
    });

    page = (await d.req('/release/demo-app/')).text;
    expect(page).toContain('Not possible now: no active production server.');
    const pr = await addServer(c, 'prod');
    const online = await press(d, 'online', { features: 'first release' });
    expect(online.status, online.logs).toBe(1);
    expect(await state()).toBe(4);
    expect(
      ((await (await fetch(`http://127.0.0.1:${pr.webPort}/o/demo-app/`)).json()) as { BK_ENV: string })
        .BK_ENV,
    ).toBe('production');
    const again = await d.submit('/release/demo-app/', '/release/demo-app/online/', {});
    expect(decodeURIComponent(again.location!)).toContain(
      'deploy it to test again before a new production release',
    );
    page = (await d.req('/release/demo-app/')).text;
    expect(page).toMatch(/released to production<\/td>\s*<td><span class="tag">success<\/span><\/td><td>v1</);

    const off = await press(d, 'offline', { mode: 'all' });
    expect(off.status, off.logs).toBe(1);
    expect(off.logs).toMatch(/== test ==[\s\S]*== prod ==/);
    expect(await state()).toBe(0);
    expect((await fetch(`http://127.0.0.1:${t.webPort}/t/demo-app/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${pr.webPort}/o/demo-app/`)).status).toBe(404);
  });

  it('returns to the previous state when a deploy fails, and shows the failure in the history', async () => {
    const d = await as('dev1', 'Devpass123');
    await d.submit('/app/demo-app/info/', '/app/demo-app/', {
      name: 'Demo',
      introduction: '',
      vcs_url: git.url('broken'),
    });
    const failed = await press(d, 'test');
    expect(failed.status).toBe(0);
    expect(failed.logs).toMatch(/Job Fail: the app did not become healthy/);
    expect(await state()).toBe(0);
    const page = (await d.req('/release/demo-app/')).text;
    expect(page).toMatch(/deploying to test<\/td>\s*<td><span class="tag">failed<\/span>/);
    expect(page).not.toContain('Not possible now: another deploy');
  });

  it('takes Celery worker and beat from the deploy-to-test form: a broker per app, refused for Node.js code', async () => {
    const d = await as('dev1', 'Devpass123');
    await d.submit('/app/demo-app/info/', '/app/demo-app/', {
      name: 'Demo',
      introduction: '',
      vcs_url: git.url('demo'),
    });
    const celery = async () =>
      one<{ is_use_celery: number; is_use_celery_beat: number }>(
        deps.db,
        "SELECT is_use_celery, is_use_celery_beat FROM paas_app WHERE code = 'demo-app'",
      );
    const brokerEnv = async () =>
      one(
        deps.db,
        "SELECT e.value FROM engine_app_envs e JOIN engine_apps a ON a.id = e.bk_app_id WHERE a.app_code = 'demo-app' AND e.mode = 'test' AND e.`key` = 'BK_BROKER_URL'",
      );
    const redis = openRedis(deps.config.redis);
    await waitFor('redis', async () => redis.ready(), 5_000);
    const users = async () => (await redis.client.sendCommand(['ACL', 'USERS'])) as string[];
    try {
      const refused = await press(d, 'test', { is_use_celery: '1', is_use_celery_beat: '1' });
      expect(refused.status).toBe(0);
      expect(refused.logs).toMatch(
        /is_use_celery is set but the code is nodejs: Celery workers run Python apps only/,
      );
      expect(await celery()).toEqual({ is_use_celery: 1, is_use_celery_beat: 1 });
      expect((await d.req('/release/demo-app/')).text).toMatch(
        /id="is_use_celery" name="is_use_celery" value="1" checked/,
      );
      expect(await brokerEnv()).toBeDefined();
      expect(await users()).toContain('bkapp-test-demo-app');
      // unticked: the worker settings go, and the broker with them
      const ok = await press(d, 'test', {});
      expect(ok.status, ok.logs).toBe(1);
      expect(await celery()).toEqual({ is_use_celery: 0, is_use_celery_beat: 0 });
      expect(await brokerEnv()).toBeUndefined();
      expect(await users()).not.toContain('bkapp-test-demo-app');
    } finally {
      await redis.close();
    }
  });
});
