import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../../test/support/http';
import { type PaasDeps, startPaasDeps } from '../../../test/support/paas';
import { one } from '../common/db/pool';
import { openRedis, type RedisHandle } from '../common/redis/redis';
import { buildLoginApp } from './app';
import { hashPassword } from './passwords/passwords';
import { createAdmin } from './users/admin';
import { createUser } from './users/store';

// What the SaaS framework blueapps (3.5.x) does with login: reference clients.md §3.
let deps: PaasDeps;
let redis: RedisHandle;
let app: FastifyInstance;
let base = '';
const PW = 'Blueking123';

beforeAll(async () => {
  deps = await startPaasDeps();
  redis = openRedis(deps.config.redis);
  await createAdmin(deps.db, 'admin', PW);
  await createUser(deps.db, {
    username: 'alice',
    passwordHash: await hashPassword(PW),
    chname: 'Alice',
    phone: '',
    email: '',
    role: 0,
  });
  app = buildLoginApp({ config: deps.config, db: deps.db, redis, log: false }).app;
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app?.close();
  await redis?.close();
  await deps?.stop();
});

const C_URL = 'http://paas.bking.com/o/demo/tasks/?x=1';

describe('login as blueapps calls it', () => {
  it('honours app_code and an absolute c_url on the platform domain from the redirect blueapps builds', async () => {
    const c = new Client(base);
    const path = `/login/?c_url=${encodeURIComponent(C_URL)}&app_code=demo`;
    const page = await c.req(path);
    expect(page.status).toBe(200);
    // The form posts back with both kept.
    const action = /action="(\/login\/\?[^"]+)"/.exec(page.text)![1]!.replaceAll('&amp;', '&');
    expect(new URL(action, base).searchParams.get('c_url')).toBe(C_URL);
    expect(new URL(action, base).searchParams.get('app_code')).toBe('demo');
    const r = await c.submit(path, action, { username: 'alice', password: PW });
    expect(r.status).toBe(302);
    expect(r.location).toBe(C_URL);
    const log = await one<{ app_id: string }>(
      deps.db,
      'SELECT app_id FROM login_bklog ORDER BY id DESC LIMIT 1',
    );
    expect(log!.app_id).toBe('demo');
  });

  it('answers is_login and get_user in v1 (code "00", username, role "1" for admins) and v2, with and without /login', async () => {
    const tokenOf = async (user: string) => {
      const c = new Client(base);
      expect((await c.signIn(user, PW)).status).toBe(302);
      return c.jar.get('bk_token')!;
    };
    const admin = await tokenOf('admin');
    const alice = await tokenOf('alice');
    const get = async (p: string) => (await fetch(`${base}${p}`)).json() as Promise<Record<string, unknown>>;
    for (const prefix of ['/login', '']) {
      expect(await get(`${prefix}/accounts/is_login/?bk_token=${admin}`)).toMatchObject({
        result: true,
        code: '00',
        data: { username: 'admin' },
      });
      expect(await get(`${prefix}/accounts/get_user/?bk_token=${admin}`)).toMatchObject({
        result: true,
        code: '00',
        data: { username: 'admin', role: '1', chname: expect.any(String) },
      });
      expect(await get(`${prefix}/accounts/get_user/?bk_token=${alice}`)).toMatchObject({
        code: '00',
        data: { username: 'alice', role: '0' },
      });
      expect(await get(`${prefix}/api/v2/get_user/?bk_token=${admin}`)).toMatchObject({
        result: true,
        bk_error_code: 0,
        data: { bk_username: 'admin', bk_role: 1 },
      });
      expect(await get(`${prefix}/accounts/is_login/?bk_token=nope`)).toMatchObject({
        result: false,
        code: '1200',
      });
    }
  });
});
