import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../../../test/support/http';
import { type PaasDeps, startPaasDeps } from '../../../../test/support/paas';
import { one } from '../../common/db/pool';
import { openRedis, type RedisHandle } from '../../common/redis/redis';
import { buildLoginApp } from '../app';
import { createAdmin } from '../users/admin';

let deps: PaasDeps;
let redis: RedisHandle;
let app: FastifyInstance;
let base: string;
const ADMIN_PW = 'Blueking123';

beforeAll(async () => {
  deps = await startPaasDeps();
  redis = openRedis(deps.config.redis);
  await createAdmin(deps.db, 'admin', ADMIN_PW);
  app = buildLoginApp({ config: deps.config, db: deps.db, redis, log: false }).app;
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app?.close();
  await redis?.close();
  await deps?.stop();
});

async function as(user: string, pw: string): Promise<Client> {
  const c = new Client(base);
  expect((await c.signIn(user, pw)).status).toBe(302);
  return c;
}
const idOf = async (u: string) =>
  (await one<{ id: number }>(deps.db, 'SELECT id FROM bkaccount_bkuser WHERE username = ?', [u]))!.id;

describe('user administration', () => {
  it('redirects anonymous visitors to the sign-in page with c_url', async () => {
    const r = await new Client(base).req('/login/accounts/user/list/');
    expect(r.status).toBe(302);
    expect(r.location).toBe('/login/?c_url=%2Flogin%2Faccounts%2Fuser%2Flist%2F');
  });

  it('lets a superuser create, search, edit and reset users, with the field rules', async () => {
    const a = await as('admin', ADMIN_PW);
    const form = {
      username: 'dev.one',
      chname: 'Dev_One',
      phone: '13800138000',
      email: 'dev@bking.com',
      role: '2',
      password: 'Devpass123',
    };
    const r = await a.submit('/accounts/user/new/', '/accounts/user/', form);
    expect(r.status).toBe(303);
    expect(r.location).toBe('/login/accounts/user/list/?done=created');
    expect((await a.submit('/accounts/user/new/', '/accounts/user/', form)).status).toBe(409);
    const bad = await a.submit('/accounts/user/new/', '/accounts/user/', {
      ...form,
      username: 'x2',
      password: 'weak',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Username: 4–20');
    expect(
      (
        await a.submit('/accounts/user/new/', '/accounts/user/', {
          ...form,
          username: 'dev.two',
          phone: '123',
        })
      ).text,
    ).toContain('Phone: exactly 11 digits');
    const list = await a.req('/accounts/user/list/?search_data=dev.&search_role=2');
    expect(list.text).toContain('dev.one');
    expect(list.text).not.toContain('>admin<');
    const id = await idOf('dev.one');
    expect(
      (
        await a.submit(`/accounts/user/${id}/edit/`, `/accounts/user/${id}/`, {
          chname: 'Renamed',
          phone: '',
          email: '',
          role: '3',
        })
      ).status,
    ).toBe(303);
    expect(
      (
        await a.submit(`/accounts/user/${id}/edit/`, `/accounts/user/${id}/password/`, {
          new_password1: 'Newpass123',
          new_password2: 'Newpass123',
        })
      ).status,
    ).toBe(303);
    const dev = await as('dev.one', 'Newpass123');
    const v1 = (await dev.req(`/accounts/get_user/?bk_token=${dev.jar.get('bk_token')}`)).json();
    expect(v1.data).toMatchObject({ chname: 'Renamed', role: '3' });
  });

  it('lets users edit only themselves, change their password with the old one, and not their role', async () => {
    const a = await as('admin', ADMIN_PW);
    await a.submit('/accounts/user/new/', '/accounts/user/', {
      username: 'self1',
      chname: 'Self',
      role: '2',
      password: 'Selfpass123',
    });
    const id = await idOf('self1');
    const s = await as('self1', 'Selfpass123');
    const mine = await s.req('/accounts/user/list/');
    expect(mine.text).toContain('self1');
    expect(mine.text).not.toContain('dev.one');
    expect((await s.req('/accounts/user/new/')).status).toBe(403);
    expect((await s.req(`/accounts/user/${await idOf('admin')}/edit/`)).status).toBe(404);
    expect(
      (await s.submit(`/accounts/user/${id}/edit/`, `/accounts/user/${id}/`, { chname: 'Me', role: '1' }))
        .status,
    ).toBe(403);
    expect(
      (
        await s.submit(`/accounts/user/${id}/edit/`, `/accounts/user/${id}/`, {
          chname: 'Me',
          phone: '13900139000',
        })
      ).status,
    ).toBe(303);
    const wrongOld = await s.submit(`/accounts/user/${id}/edit/`, `/accounts/user/${id}/password/`, {
      old_password: 'nope',
      new_password1: 'Selfpass456',
      new_password2: 'Selfpass456',
    });
    expect(wrongOld.text).toContain('The current password is wrong');
    const differ = await s.submit(`/accounts/user/${id}/edit/`, `/accounts/user/${id}/password/`, {
      old_password: 'Selfpass123',
      new_password1: 'Selfpass456',
      new_password2: 'Selfpass457',
    });
    expect(differ.text).toContain('The two new passwords differ');
    expect(
      (
        await s.submit(`/accounts/user/${id}/edit/`, `/accounts/user/${id}/password/`, {
          old_password: 'Selfpass123',
          new_password1: 'Selfpass456',
          new_password2: 'Selfpass456',
        })
      ).status,
    ).toBe(303);
    await as('self1', 'Selfpass456');
    const page = await s.req(`/accounts/user/${id}/edit/`);
    const del = await s.req(`/accounts/user/${id}/delete/`, {
      form: { csrfmiddlewaretoken: Client.csrf(page.text) },
    });
    expect(del.status).toBe(403);
  });

  it('protects admin and the last superuser; AJAX verbs answer {result, message}', async () => {
    const a = await as('admin', ADMIN_PW);
    const adminId = await idOf('admin');
    const page = await a.req(`/accounts/user/${adminId}/edit/`);
    const csrf = Client.csrf(page.text);
    const h = { 'x-csrftoken': csrf, 'x-requested-with': 'XMLHttpRequest' };
    const delAdmin = await a.req(`/accounts/user/${adminId}/`, { method: 'DELETE', headers: h });
    expect(delAdmin.status).toBe(409);
    expect(delAdmin.json()).toEqual({ result: false, message: 'The user admin cannot be deleted' });
    const demote = await a.req(`/accounts/user/${adminId}/`, {
      method: 'PUT',
      headers: h,
      form: { chname: 'admin', role: '2' },
    });
    expect(demote.json()).toEqual({
      result: false,
      message: 'The last administrator keeps the administrator role',
    });
    await a.submit('/accounts/user/new/', '/accounts/user/', {
      username: 'boss2',
      chname: 'Boss',
      role: '1',
      password: 'Bosspass123',
    });
    const b = await as('boss2', 'Bosspass123');
    const bossId = await idOf('boss2');
    await a.submit('/accounts/user/new/', '/accounts/user/', {
      username: 'gone1',
      chname: 'Gone',
      role: '0',
      password: 'Gonepass123',
    });
    const gone = await as('gone1', 'Gonepass123');
    const goneId = await idOf('gone1');
    const ok = await a.req(`/accounts/user/${goneId}/`, { method: 'DELETE', headers: h });
    expect(ok.json()).toEqual({ result: true, message: 'User gone1 deleted' });
    expect((await gone.req(`/accounts/get_user/?bk_token=${gone.jar.get('bk_token')}`)).json().result).toBe(
      false,
    );
    const noCsrf = await a.req(`/accounts/user/${bossId}/`, {
      method: 'DELETE',
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    expect(noCsrf.status).toBe(403);
    const bPage = await b.req(`/accounts/user/${bossId}/edit/`);
    const selfDelete = await b.req(`/accounts/user/${bossId}/`, {
      method: 'DELETE',
      headers: { 'x-csrftoken': Client.csrf(bPage.text) },
    });
    expect(selfDelete.json()).toEqual({ result: true, message: 'User boss2 deleted' });
  });
});
