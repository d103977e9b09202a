// Each app's own MySQL database and account (real MariaDB): rights on that schema only (an `_` in
// the code is no GRANT wildcard), kept across deploys, never taking over a foreign account,
// dropped with the app.
import type { FastifyInstance } from 'fastify';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaasDeps, startPaasDeps } from '../../../../test/support/paas';
import { exec } from '../../common/db/pool';
import { buildAppengineApp } from '../app';
import { registerApp } from '../register';
import { databaseEnvs, ensureAppDatabase } from './database';

let deps: PaasDeps;
let engine: FastifyInstance;
let base: string;
beforeAll(async () => {
  deps = await startPaasDeps();
  engine = buildAppengineApp({ config: deps.config, db: deps.db, log: false });
  base = await engine.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await engine?.close();
  await deps?.stop();
});

const connectAs = (user: string, password: string, database?: string) =>
  mysql.createConnection({ host: deps.config.db.host, port: deps.config.db.port, user, password, database });

describe('app databases', () => {
  it('makes the schema and an account with rights on it alone, the same on every deploy', async () => {
    const a = await registerApp(deps.db, { app_code: 'bk_sops', name: 'SOPS', app_lang: 'python' });
    const d = await ensureAppDatabase(deps.db, a.id, 'bk_sops');
    expect(d).toMatchObject({ name: 'bkapp_bk_sops', user: 'app_bk_sops' });
    expect(await ensureAppDatabase(deps.db, a.id, 'bk_sops')).toEqual(d);
    const env = databaseEnvs(deps.config.db, d);
    expect(env).toMatchObject({
      DB_NAME: 'bkapp_bk_sops',
      DB_USERNAME: 'app_bk_sops',
      MYSQL_USER: 'app_bk_sops',
    });
    const c = await connectAs(d.user, d.password, d.name);
    await c.query('CREATE TABLE t (id INT)');
    await c.query('INSERT INTO t VALUES (1)');
    await expect(c.query('CREATE DATABASE bkappxbkxsops')).rejects.toThrow(/denied/);
    await expect(c.query('SELECT * FROM open_paas.engine_apps')).rejects.toThrow(/denied/);
    await expect(c.query('SELECT * FROM mysql.user')).rejects.toThrow(/denied/);
    await c.end();
  });

  it('refuses to take over a MySQL account it did not make, and reserved schema names', async () => {
    await exec(deps.db, "CREATE USER 'app_taken'@'%' IDENTIFIED BY 'x-Secret-1'");
    const a = await registerApp(deps.db, { app_code: 'taken', name: 'Taken', app_lang: 'python' });
    await expect(ensureAppDatabase(deps.db, a.id, 'taken')).rejects.toThrow(
      /a MySQL account app_taken exists that appengine did not make/,
    );
    const m = await registerApp(deps.db, { app_code: 'mysql', name: 'M', app_lang: 'python' });
    await expect(ensureAppDatabase(deps.db, m.id, 'mysql')).rejects.toThrow(
      /cannot have a database of that name/,
    );
  });

  it('drops the schema and account when the platform deletes the app', async () => {
    const a = await registerApp(deps.db, { app_code: 'gone', name: 'Gone', app_lang: 'python' });
    const d = await ensureAppDatabase(deps.db, a.id, 'gone');
    const del = (h: Record<string, string>) =>
      fetch(`${base}/v1/apps/gone/database/`, { method: 'DELETE', headers: h });
    expect((await del({ 'x-app-code': 'gone', 'x-app-token': a.token })).status).toBe(403);
    const ok = await del({ 'x-app-code': 'bk_paas', 'x-app-token': deps.config.secrets.ESB_TOKEN });
    expect(await ok.json()).toMatchObject({ result: true, data: { dropped: true } });
    await expect(connectAs(d.user, d.password)).rejects.toThrow(/denied/);
    const [dbs] = (await deps.db.query("SHOW DATABASES LIKE 'bkapp_gone'")) as unknown as [unknown[]];
    expect(dbs).toEqual([]);
  });
});
