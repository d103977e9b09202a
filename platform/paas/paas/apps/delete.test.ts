// Deleting an app in the developer center drops what appengine made for it (real MariaDB and
// Redis): its database with its rows, its MySQL account, its Celery broker account and keys;
// another app's database and broker are untouched, and an app still deployed keeps everything.
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../../../test/support/http';
import { type PaasDeps, startPaasDeps } from '../../../../test/support/paas';
import { type Platform, startPlatform } from '../../../../test/support/platform';
import { waitFor } from '../../../../test/support/ports';
import { brokerEnvs, ensureBroker } from '../../appengine/releases/broker';
import { ensureAppDatabase } from '../../appengine/releases/database';
import { exec, one } from '../../common/db/pool';
import { openRedis, type RedisHandle } from '../../common/redis/redis';
import { hashPassword } from '../../login/passwords/passwords';
import { createUser } from '../../login/users/store';

let deps: PaasDeps;
let p: Platform;
let redis: RedisHandle;
const PW = 'Devpass123';

beforeAll(async () => {
  deps = await startPaasDeps();
  p = await startPlatform(deps, { loginCacheMs: 0 });
  await createUser(deps.db, {
    username: 'dev1',
    passwordHash: await hashPassword(PW),
    chname: 'dev1',
    phone: '',
    email: '',
    role: 2,
  });
  redis = openRedis(deps.config.redis);
  await waitFor('redis', async () => redis.ready(), 5_000);
});
afterAll(async () => {
  await redis?.close();
  await p?.stop();
  await deps?.stop();
});

async function signedIn(): Promise<Client> {
  const l = new Client(p.login);
  expect((await l.signIn('dev1', PW)).status).toBe(302);
  const c = new Client(p.paas);
  c.jar.set('bk_token', l.jar.get('bk_token')!);
  return c;
}

/** An app made in the developer center, then given a database with a row and a broker with a key, as a deploy would. */
async function appWithData(c: Client, code: string) {
  expect((await c.submit('/app/', '/app/', { code, name: code, developer: 'dev1' })).status).toBe(303);
  const { id } = (await one<{ id: number }>(deps.db, 'SELECT id FROM engine_apps WHERE app_code = ?', [
    code,
  ]))!;
  const d = await ensureAppDatabase(deps.db, id, code);
  const conn = await mysql.createConnection({
    host: deps.config.db.host,
    port: deps.config.db.port,
    user: d.user,
    password: d.password,
    database: d.name,
  });
  await conn.query('CREATE TABLE notes (t VARCHAR(20))');
  await conn.query("INSERT INTO notes VALUES ('kept')");
  await conn.end();
  const b = await ensureBroker(deps.db, redis, id, code, 'test');
  await redis.client.set(`${b.prefix}celery`, 'queued');
  return { d, b, url: new URL(brokerEnvs(deps.config.redis, b, false).BK_BROKER_URL!) };
}

const schemas = async (name: string) =>
  ((await deps.db.query('SHOW DATABASES LIKE ?', [name])) as unknown as [unknown[]])[0].length;
const accounts = async (user: string) =>
  ((await deps.db.query('SELECT user FROM mysql.user WHERE user = ?', [user])) as unknown as [unknown[]])[0]
    .length;
const aclUsers = async () => (await redis.client.sendCommand(['ACL', 'USERS'])) as string[];

describe('deleting an app', () => {
  it('drops its database, account and broker, and no other app’s', async () => {
    const c = await signedIn();
    const gone = await appWithData(c, 'del-app');
    const kept = await appWithData(c, 'keep-app');

    // still deployed: refused, everything stays
    await exec(deps.db, 'UPDATE paas_app SET state = 3, is_already_test = 1 WHERE code = ?', ['del-app']);
    expect((await c.submit('/app/del-app/info/', '/release/del-app/delete/', {})).status).toBe(409);
    expect(await schemas('bkapp_del-app')).toBe(1);

    // taken offline everywhere (state 0, flags cleared, as offline "all" leaves it): deleted
    await exec(deps.db, 'UPDATE paas_app SET state = 0, is_already_test = 0 WHERE code = ?', ['del-app']);
    const del = await c.submit('/app/del-app/info/', '/release/del-app/delete/', {});
    expect(del.location).toBe('/app/list/?done=deleted');
    expect(await one(deps.db, 'SELECT id FROM paas_app WHERE code = ?', ['del-app'])).toBeUndefined();
    expect(await schemas('bkapp_del-app')).toBe(0);
    expect(await accounts(gone.d.user)).toBe(0);
    await expect(
      mysql.createConnection({
        host: deps.config.db.host,
        port: deps.config.db.port,
        user: gone.d.user,
        password: gone.d.password,
      }),
    ).rejects.toThrow(/denied/);
    const engineId = (await one<{ id: number }>(
      deps.db,
      "SELECT id FROM engine_apps WHERE app_code = 'del-app'",
    ))!.id;
    for (const table of ['engine_app_databases', 'engine_app_brokers', 'engine_app_envs'])
      expect(
        await one(deps.db, `SELECT * FROM ${table} WHERE bk_app_id = ?`, [engineId]),
        table,
      ).toBeUndefined();
    expect(await aclUsers()).not.toContain(gone.b.username);
    expect(await redis.client.keys(`${gone.b.prefix}*`)).toEqual([]);

    // the other app: its rows, account and broker as they were
    const conn = await mysql.createConnection({
      host: deps.config.db.host,
      port: deps.config.db.port,
      user: kept.d.user,
      password: kept.d.password,
      database: kept.d.name,
    });
    const [rows] = (await conn.query('SELECT t FROM notes')) as unknown as [{ t: string }[]];
    expect(rows).toEqual([{ t: 'kept' }]);
    await conn.end();
    expect(await aclUsers()).toContain(kept.b.username);
    expect(await redis.client.get(`${kept.b.prefix}celery`)).toBe('queued');
    expect(kept.url.username).toBe('bkapp-test-keep-app');
  });
});
