import { pbkdf2Sync } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../../test/support/http';
import { type PaasDeps, startPaasDeps } from '../../../test/support/paas';
import { exec, one } from '../common/db/pool';
import { openRedis, type RedisHandle } from '../common/redis/redis';
import { buildLoginApp } from './app';
import { createAdmin } from './users/admin';

let deps: PaasDeps;
let redis: RedisHandle;
const apps: FastifyInstance[] = [];
let base = '';
const ADMIN_PW = 'Blueking123';

async function start(over: Partial<Parameters<typeof buildLoginApp>[0]> = {}): Promise<string> {
  const { app } = buildLoginApp({ config: deps.config, db: deps.db, redis, log: false, ...over });
  apps.push(app);
  return app.listen({ host: '127.0.0.1', port: 0 });
}

beforeAll(async () => {
  deps = await startPaasDeps();
  redis = openRedis(deps.config.redis);
  await createAdmin(deps.db, 'admin', ADMIN_PW);
  base = await start();
});
afterAll(async () => {
  for (const a of apps) await a.close();
  await redis?.close();
  await deps?.stop();
});

async function token(user = 'admin', pw = ADMIN_PW): Promise<string> {
  const c = new Client(base);
  const r = await c.signIn(user, pw);
  expect(r.status).toBe(302);
  return c.jar.get('bk_token')!;
}
const esb = () => ({ 'x-app-code': 'esb', 'x-app-token': deps.config.secrets.ESB_TOKEN });

describe('sign in and the bk_token', () => {
  it('sets the bk_token cookie on the cookie domain and redirects to a safe c_url', async () => {
    const c = new Client(base);
    const r = await c.signIn('admin', ADMIN_PW, '/', 'http://paas.bking.com/app/list/');
    expect(r.status).toBe(302);
    expect(r.location).toBe('http://paas.bking.com/app/list/');
    const set = r.headers.getSetCookie().find((s) => s.startsWith('bk_token=') && !s.includes('Max-Age=0'))!;
    expect(set).toMatch(/Domain=\.bking\.com; Max-Age=86400; Expires=.+; HttpOnly; SameSite=Lax$/);
    const row = await one<{ token: string }>(
      deps.db,
      'SELECT token FROM login_bktoken ORDER BY id DESC LIMIT 1',
    );
    expect(row!.token).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.token).not.toBe(c.jar.get('bk_token'));
  });

  it.each([
    '//evil.com',
    'http://evil.com',
    'http://bking.com.evil.com',
    'javascript:alert(1)',
    'https://paas.bking.com@evil.com/',
    '/\\evil.com',
  ])('ignores the hostile c_url %s', async (cUrl) => {
    const r = await new Client(base).signIn('admin', ADMIN_PW, '/', cUrl);
    expect(r.status).toBe(302);
    expect(r.location).toBe('/login/accounts/user/list/');
  });

  it('refuses a wrong password without saying which part was wrong', async () => {
    const r = await new Client(base).signIn('admin', 'Wrong1234');
    expect(r.status).toBe(401);
    expect(r.text).toContain('Wrong username or password.');
    const r2 = await new Client(base).signIn('nobody', 'Wrong1234');
    expect(r2.text).toContain('Wrong username or password.');
  });

  it('rejects a POST without a valid CSRF token', async () => {
    const c = new Client(base);
    await c.req('/');
    const none = await c.req('/', { form: { username: 'admin', password: ADMIN_PW } });
    expect(none.status).toBe(403);
    expect(none.text).toContain('The form expired');
    const other = new Client(base);
    const page = await other.req('/');
    const forged = await c.req('/', {
      form: { username: 'admin', password: ADMIN_PW, csrfmiddlewaretoken: Client.csrf(page.text) },
    });
    expect(forged.status).toBe(403);
    expect(c.jar.has('bk_token')).toBe(false);
  });

  it('visiting the login page and logging out both invalidate the token', async () => {
    const t1 = await token();
    const c = new Client(base);
    c.jar.set('bk_token', t1);
    await c.req('/login/');
    expect((await c.req(`/accounts/is_login/?bk_token=${t1}`)).json().code).toBe('1200');
    const t2 = await token();
    c.jar.set('bk_token', t2);
    const out = await c.req('/logout/?c_url=http://evil.com/');
    expect(out.location).toBe('/login/?is_from_logout=1');
    expect(c.jar.has('bk_token')).toBe(false);
    const v2 = (await c.req(`/api/v2/is_login/?bk_token=${t2}`)).json();
    expect(v2).toEqual({
      result: false,
      bk_error_code: 1302100,
      bk_error_msg: expect.stringMatching(/invalid or expired/),
      data: {},
    });
    const row = await one<{ n: number }>(
      deps.db,
      'SELECT COUNT(*) AS n FROM login_bktoken WHERE is_logout = 1',
    );
    expect(Number(row!.n)).toBeGreaterThanOrEqual(2);
  });

  it('expires tokens', async () => {
    const short = await start({ tokenAgeSec: 1 });
    const c = new Client(short);
    await c.signIn('admin', ADMIN_PW);
    const t = c.jar.get('bk_token')!;
    expect((await c.req(`/accounts/is_login/?bk_token=${t}`)).json().result).toBe(true);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await c.req(`/accounts/is_login/?bk_token=${t}`)).json()).toMatchObject({
      result: false,
      code: '1200',
    });
  });

  it('verifies imported Django pbkdf2 hashes and rehashes them with scrypt', async () => {
    const hash = `pbkdf2_sha256$20000$salt123$${pbkdf2Sync('Legacy123', 'salt123', 20000, 32, 'sha256').toString('base64')}`;
    const { insertId } = await exec(
      deps.db,
      'INSERT INTO bkaccount_bkuser (username, password) VALUES (?, ?)',
      ['legacy', hash],
    );
    await exec(
      deps.db,
      'INSERT INTO login_bkuser_role (user_id, role_id) SELECT ?, id FROM login_bkrole WHERE code = 2',
      [insertId],
    );
    await token('legacy', 'Legacy123');
    const row = await one<{ password: string }>(
      deps.db,
      'SELECT password FROM bkaccount_bkuser WHERE id = ?',
      [insertId],
    );
    expect(row!.password).toMatch(/^scrypt\$32768\$8\$1\$/);
    await token('legacy', 'Legacy123');
  });
});

describe('token and user APIs', () => {
  it('v1 and v2 envelopes, with and without the /login prefix', async () => {
    const t = await token();
    const c = new Client(base);
    for (const p of ['', '/login']) {
      expect((await c.req(`${p}/accounts/is_login/?bk_token=${t}`)).json()).toEqual({
        result: true,
        code: '00',
        message: 'OK',
        data: { username: 'admin' },
      });
      expect((await c.req(`${p}/api/v2/is_login/?bk_token=${t}`)).json()).toEqual({
        result: true,
        bk_error_code: 0,
        bk_error_msg: 'OK',
        data: { bk_username: 'admin' },
      });
    }
    const v1 = (await c.req(`/login/accounts/get_user/?bk_token=${t}`)).json();
    expect(v1).toMatchObject({
      result: true,
      code: '00',
      data: { username: 'admin', role: '1', qq: '', language: 'zh-cn', time_zone: 'Asia/Shanghai' },
    });
    const v2 = (await c.req(`/api/v2/get_user/?bk_token=${t}`)).json();
    expect(v2).toMatchObject({
      result: true,
      bk_error_code: 0,
      data: { bk_username: 'admin', bk_role: 1, chname: 'admin' },
    });
    expect(v2.data).not.toHaveProperty('username');
    const all = (await c.req(`/accounts/get_all_user/?bk_token=${t}&role=1`)).json();
    expect(all.data.map((u: { username: string }) => u.username)).toEqual(['admin']);
    const batch = (
      await c.req(`/api/v2/get_batch_users/?bk_token=${t}`, {
        json: { bk_username_list: ['admin', 'ghost'] },
      })
    ).json();
    expect(Object.keys(batch.data)).toEqual(['admin']);
    expect(batch.data.admin.bk_role).toBe(1);
  });

  it.each(['', 'nope', 'x'.repeat(43), '../../etc/passwd'])('refuses the bad token %j', async (t) => {
    const c = new Client(base);
    expect((await c.req(`/accounts/is_login/?bk_token=${encodeURIComponent(t)}`)).json()).toMatchObject({
      result: false,
      code: '1200',
      data: {},
    });
    expect((await c.req(`/api/v2/get_user/?bk_token=${encodeURIComponent(t)}`)).json()).toMatchObject({
      result: false,
      bk_error_code: 1302100,
    });
    expect((await c.req(`/accounts/get_all_user/?bk_token=${encodeURIComponent(t)}`)).json().code).toBe(
      '1200',
    );
  });

  it('lets ESB look users up without a token, only with the right ESB_TOKEN', async () => {
    const c = new Client(base);
    const ok = (await c.req('/login/accounts/get_user/?username=admin', { headers: esb() })).json();
    expect(ok).toMatchObject({ result: true, code: '00', data: { username: 'admin' } });
    expect((await c.req('/api/v2/get_user/?bk_username=ghost', { headers: esb() })).json()).toMatchObject({
      result: false,
      bk_error_code: 1302102,
    });
    expect((await c.req('/api/v2/get_user/', { headers: esb() })).json()).toMatchObject({
      result: false,
      bk_error_code: 1302101,
    });
    const wrong = { 'x-app-code': 'esb', 'x-app-token': `${deps.config.secrets.ESB_TOKEN}x` };
    expect((await c.req('/accounts/get_user/?username=admin', { headers: wrong })).json()).toMatchObject({
      result: false,
      code: '1200',
    });
    expect((await c.req('/api/v2/get_all_users/', { headers: wrong })).json()).toMatchObject({
      result: false,
      bk_error_code: 1302100,
    });
    const all = (await c.req('/api/v2/get_all_users/?bk_role=1', { headers: esb() })).json();
    expect(all.data[0]).toMatchObject({ bk_username: 'admin', bk_role: 1 });
    const batch = (
      await c.req('/accounts/get_batch_user/', { headers: esb(), json: { username_list: 'admin;ghost' } })
    ).json();
    expect(batch).toMatchObject({ result: true, code: '00', data: { admin: { role: '1' } } });
    expect(
      (await c.req('/accounts/get_batch_user/', { headers: esb(), json: { username_list: 5 } })).json().code,
    ).toBe('1202');
  });

  it('healthz checks MySQL and Redis', async () => {
    const r = await new Client(base).req('/login/healthz/');
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({
      result: true,
      bk_error_code: 0,
      bk_error_msg: 'OK',
      data: { settings: 'ok', database: 'ok', redis: 'ok' },
    });
  });
});

// sign-in throttling: ratelimit.test.ts
describe('Redis outages', () => {
  it('keeps working on MySQL alone when Redis is unreachable', async () => {
    const dead = openRedis({ host: '127.0.0.1', port: 1, password: '' });
    try {
      const noRedis = await start({ redis: dead });
      const c = new Client(noRedis);
      const t0 = Date.now();
      expect((await c.signIn('admin', ADMIN_PW)).status).toBe(302);
      const t = c.jar.get('bk_token')!;
      expect((await c.req(`/accounts/is_login/?bk_token=${t}`)).json().result).toBe(true);
      expect(Date.now() - t0).toBeLessThan(2000);
      await c.req('/logout/');
      expect((await c.req(`/accounts/is_login/?bk_token=${t}`)).json().result).toBe(false);
      const h = await c.req('/healthz/');
      expect(h.status).toBe(503);
      expect(h.json().data).toMatchObject({ database: 'ok', redis: expect.stringMatching(/^error: /) });
    } finally {
      await dead.close();
    }
  });
});
