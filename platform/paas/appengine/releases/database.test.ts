// Each app's own MySQL database and account (real MariaDB): rights on that schema only (an `_` in
// the code is no GRANT wildcard), kept across deploys, never taking over a foreign account,
// dropped with the app.
import type { FastifyInstance } from 'fastify';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativePasswordHash, provisionGrants } from '../../../../lib/mysql/provision';
import { type PaasDeps, startPaasDeps } from '../../../../test/support/paas';
import { exec, openDb } from '../../common/db/pool';
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

  it('works from an account with only open_paas and EXECUTE on the procedures, which can grant itself nothing', async () => {
    // the provisioning account as grants.ts makes it for an appengine host (here from 127.0.0.1)
    const pw = 'Prov-Secret-1';
    await exec(deps.db, "CREATE USER 'bkprov'@'127.0.0.1' IDENTIFIED BY PASSWORD ?", [
      nativePasswordHash(pw),
    ]);
    await exec(deps.db, "GRANT ALL PRIVILEGES ON `open\\_paas`.* TO 'bkprov'@'127.0.0.1'");
    for (const g of provisionGrants("'bkprov'@'127.0.0.1'")) await exec(deps.db, g);
    const prov = openDb({ ...deps.config.db, host: '127.0.0.1', user: 'bkprov', password: pw });
    try {
      const a = await registerApp(prov, { app_code: 'narrow_app', name: 'N', app_lang: 'python' });
      const d = await ensureAppDatabase(prov, a.id, 'narrow_app');
      const c = await connectAs(d.user, d.password, d.name);
      await c.query('CREATE TABLE t (id INT)');
      await c.end();
      const refused = async (q: string, params: string[] = []) =>
        expect(prov.query(q, params), q).rejects.toThrow(/denied|expected|not allowed|command denied/i);
      // no account statement of its own: CREATE USER would also let it ALTER or DROP root
      await refused("CREATE USER 'evil'@'%' IDENTIFIED BY 'x'");
      await refused("ALTER USER 'root'@'localhost' IDENTIFIED BY 'x'");
      await refused("DROP USER 'root'@'localhost'");
      await refused("RENAME USER 'app_narrow_app'@'%' TO 'evil'@'%'");
      // no grant on open_paas, mysql.* or an app's schema to anyone, itself included
      await refused("GRANT SELECT ON open_paas.* TO 'app_narrow_app'@'%'");
      await refused("GRANT ALL PRIVILEGES ON mysql.* TO 'bkprov'@'127.0.0.1'");
      await refused("GRANT ALL PRIVILEGES ON `bkapp_narrow_app`.* TO 'bkprov'@'127.0.0.1'");
      await refused('SELECT * FROM mysql.global_priv');
      await refused("UPDATE mysql.global_priv SET Priv = '{}' WHERE User = 'root'");
      await refused('SELECT * FROM bkapp_narrow_app.t');
      // nor a new procedure that would run as root
      await refused(
        "CREATE OR REPLACE DEFINER='root'@'localhost' PROCEDURE bkcec_provision.create_app_db() SELECT 1",
      );
      await refused('CREATE PROCEDURE bkcec_provision.x() SELECT 1');
      // the procedures take an app code and a hash only
      for (const code of ["x'; DROP USER root", '../mysql', 'open_paas`.* TO x; --', 'A', '', 'x%'])
        await refused('CALL bkcec_provision.create_app_db(?, ?)', [code, nativePasswordHash('p')]);
      await refused('CALL bkcec_provision.create_app_db(?, ?)', ['ok_code', "x' , 'y"]);
      await refused('CALL bkcec_provision.drop_app_db(?)', ['`; DROP DATABASE open_paas; --']);
      const [grants] = (await prov.query('SHOW GRANTS')) as unknown as [Record<string, string>[]];
      const lines = grants.map((r) =>
        String(Object.values(r)[0]).replace(/ IDENTIFIED BY PASSWORD '[^']*'/, ''),
      );
      expect(lines.sort()).toEqual([
        'GRANT ALL PRIVILEGES ON `open\\_paas`.* TO `bkprov`@`127.0.0.1`',
        'GRANT EXECUTE ON PROCEDURE `bkcec_provision`.`create_app_db` TO `bkprov`@`127.0.0.1`',
        'GRANT EXECUTE ON PROCEDURE `bkcec_provision`.`drop_app_db` TO `bkprov`@`127.0.0.1`',
        'GRANT USAGE ON *.* TO `bkprov`@`127.0.0.1`',
      ]);
    } finally {
      await prov.end();
      await exec(deps.db, "DROP USER IF EXISTS 'bkprov'@'127.0.0.1'");
    }
  });
});
