// The real module steps on this machine: a real MariaDB under a real supervisord in a temp INSTALL_PATH.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalHost, localHost } from '../../../test/support/engine';
import { failureText } from '../../../test/support/events';
import { freePort } from '../../../test/support/ports';
import { mysqlModule } from '.';
import { nativePasswordHash } from './grants';

let host: LocalHost;
const pass = `p${Date.now()}Xy9`;

// The client's source address is what the server checks grants against (mysql2 ignores localAddress).
const connect = (port: number, localAddress = '127.0.0.1') =>
  mysql.createConnection({
    stream: netConnect({ host: '127.0.0.1', port, localAddress }),
    user: 'bkuser',
    password: pass,
    connectTimeout: 5000,
  });

const sh = (cmd: string) => execFileSync('bash', ['-c', cmd], { encoding: 'utf8' });
/** The pid supervisord reports for mariadbd ('0' when it is not running). */
const mysqldPid = () =>
  sh(`supervisorctl -c ${host.installPath}/etc/supervisord.conf pid mysql:mysql-mysqld || true`).trim();

// install.config's paas hosts (and which of them run appengine), changed by the tests below.
const placed: Record<string, string[]> = { paas: ['127.0.0.1'], 'paas:appengine': [] };

beforeAll(async () => {
  host = localHost(
    mysqlModule,
    { MYSQL_PORT: String(await freePort()), MYSQL_USER: 'bkuser', MYSQL_PASS: pass },
    placed,
  );
});
afterAll(() => host?.cleanup());

describe('mysql module on a local host', () => {
  it('installs, starts and grants; a re-run changes nothing', async () => {
    const install = await host.run('install');
    expect(install.ok, failureText(install.events)).toBe(true);
    expect(install.changed).toEqual(
      expect.arrayContaining(['install:config', 'install:datadir', 'install:supervisor-programs']),
    );
    const start = await host.run('start');
    expect(start.ok, failureText(start.events)).toBe(true);
    const init = await host.run('initdata');
    expect(init.ok, failureText(init.events)).toBe(true);
    expect(init.changed).toEqual(['initdata:grants']);

    expect((await host.run('install')).changed).toEqual([]);
    expect((await host.run('start')).changed).toEqual([]);
    expect((await host.run('initdata')).changed).toEqual([]);
    const cnf = readFileSync(`${host.installPath}/etc/my.cnf`, 'utf8');
    expect(cnf).toContain(`bind-address = 127.0.0.1`);
    expect(cnf).toContain('character-set-server = utf8mb4');
  });

  it('lets MYSQL_USER use open_paas from paas hosts only, with no global privilege', async () => {
    const port = Number(host.vars.MYSQL_PORT);
    const root = (q: string) =>
      sh(`mariadb --no-defaults --socket=${host.installPath}/run/mysql/mysql.sock -uroot -NBe "${q}"`).trim();
    const c = await connect(port);
    const [rows] = await c.query(
      'SELECT @@character_set_server AS cs, @@log_bin AS lb, @@max_connections AS mc',
    );
    expect(rows).toEqual([{ cs: 'utf8mb4', lb: 1, mc: 3000 }]);
    await c.query('CREATE DATABASE IF NOT EXISTS open_paas');
    // Another database, even one the grant's `_` would match as a wildcard, is refused (1044).
    await expect(c.query('CREATE DATABASE t1')).rejects.toMatchObject({ errno: 1044 });
    await expect(c.query('CREATE DATABASE openXpaas')).rejects.toMatchObject({ errno: 1044 });
    await expect(c.query('SELECT COUNT(*) FROM mysql.user')).rejects.toMatchObject({ errno: 1142 });
    await c.end();

    // 127.0.0.2 is in install.config but runs no paas: no account at all (1130: host not allowed).
    expect((await host.run('initdata', ['127.0.0.1', '127.0.0.2'])).changed).toEqual([]);
    await expect(connect(port, '127.0.0.2')).rejects.toMatchObject({ errno: 1130 });

    placed.paas = ['127.0.0.1', '127.0.0.2'];
    expect((await host.run('initdata', ['127.0.0.1', '127.0.0.2'])).changed).toEqual(['initdata:grants']);
    await (await connect(port, '127.0.0.2')).end();
    // A legacy ALL ON *.* (or a grant on another database) is taken away by the next initdata.
    root(
      "GRANT ALL PRIVILEGES ON *.* TO 'bkuser'@'127.0.0.2'; GRANT SELECT ON mysql.* TO 'bkuser'@'127.0.0.1'",
    );
    expect((await host.run('initdata', ['127.0.0.1', '127.0.0.2'])).changed).toEqual(['initdata:grants']);
    expect(root("SHOW GRANTS FOR 'bkuser'@'127.0.0.2'")).not.toContain('PRIVILEGES ON *.*');
    expect(root("SHOW GRANTS FOR 'bkuser'@'127.0.0.1'")).not.toContain('`mysql`');
    expect(root("SHOW GRANTS FOR 'bkuser'@'127.0.0.2'")).toMatch(
      /GRANT ALL PRIVILEGES ON `open\\+_paas`\.\*/,
    );
    expect((await host.run('initdata', ['127.0.0.1', '127.0.0.2'])).changed).toEqual([]);

    placed.paas = ['127.0.0.1'];
    expect((await host.run('initdata', ['127.0.0.1'])).changed).toEqual(['initdata:grants']);
    await expect(connect(port, '127.0.0.2')).rejects.toMatchObject({ errno: 1130 });
    expect(root("SELECT CONCAT(User,'@',Host) FROM mysql.global_priv ORDER BY 1").split('\n')).toEqual([
      'bkuser@127.0.0.1',
      'bkuser@localhost',
      'mariadb.sys@localhost',
      'mysql@localhost',
      'root@localhost',
    ]);
  });

  it("gives appengine's host EXECUTE on root's app-database procedures instead of CREATE USER", async () => {
    const root = (q: string) =>
      sh(`mariadb --no-defaults --socket=${host.installPath}/run/mysql/mysql.sock -uroot -NBe "${q}"`).trim();
    // what an older version granted, taken away; the procedures (through the mysql client) granted
    root("GRANT CREATE USER ON *.* TO 'bkuser'@'127.0.0.1'");
    placed['paas:appengine'] = ['127.0.0.1'];
    expect((await host.run('initdata', ['127.0.0.1'])).changed).toEqual(['initdata:grants']);
    const grants = root("SHOW GRANTS FOR 'bkuser'@'127.0.0.1'");
    expect(grants).not.toMatch(/CREATE USER|GRANT OPTION/);
    expect(grants).toContain('GRANT EXECUTE ON PROCEDURE `bkcec_provision`.`create_app_db`');
    const c = await connect(Number(host.vars.MYSQL_PORT));
    await c.query("CALL bkcec_provision.create_app_db('mt_app', ?)", [nativePasswordHash('App-Pass-1')]);
    await expect(c.query("CREATE USER 'x'@'%'")).rejects.toMatchObject({ errno: 1227 });
    await c.query("CALL bkcec_provision.drop_app_db('mt_app')");
    await c.end();
    expect(root("SELECT COUNT(*) FROM mysql.global_priv WHERE User = 'app_mt_app'")).toBe('0');
    expect((await host.run('initdata', ['127.0.0.1'])).changed).toEqual([]);
    placed['paas:appengine'] = [];
    expect((await host.run('initdata', ['127.0.0.1'])).changed).toEqual(['initdata:grants']);
    expect(root("SHOW GRANTS FOR 'bkuser'@'127.0.0.1'")).not.toContain('EXECUTE');
  });

  it('root logs in with MYSQL_PASS too, and no password shows in any command line', async () => {
    const root = await mysql.createConnection({
      socketPath: `${host.installPath}/run/mysql/mysql.sock`,
      user: 'root',
      password: pass,
    });
    await root.end();
    expect(sh('ps -eo args')).not.toContain(pass);
  });

  it('comes back after kill -9 with its data', async () => {
    const c = await connect(Number(host.vars.MYSQL_PORT));
    await c.query('CREATE TABLE open_paas.x (v INT) ENGINE=InnoDB');
    await c.query('INSERT INTO open_paas.x VALUES (42)');
    await c.end();
    const before = mysqldPid();
    sh(`kill -9 ${before}`);
    let after = '';
    for (let i = 0; i < 100 && (after === '' || after === '0' || after === before); i++) {
      await new Promise((r) => setTimeout(r, 200));
      after = mysqldPid();
    }
    expect(after).not.toBe(before);
    expect((await host.run('start')).ok).toBe(true); // waits until it answers on the socket again
    const c2 = await connect(Number(host.vars.MYSQL_PORT));
    expect((await c2.query('SELECT v FROM open_paas.x'))[0]).toEqual([{ v: 42 }]);
    await c2.end();
  });

  it('a changed variable is applied by install and the next start restarts; stop/start are idempotent', async () => {
    const pid = mysqldPid();
    host.vars.MYSQL_PORT = String(await freePort());
    expect((await host.run('install')).changed).toContain('install:config');
    expect(mysqldPid()).toBe(pid);
    const start = await host.run('start');
    expect(start.changed).toContain('start:start');
    expect(mysqldPid()).not.toBe(pid);
    await (await connect(Number(host.vars.MYSQL_PORT))).end();
    expect((await host.run('start')).changed).toEqual([]);

    expect((await host.run('stop')).changed).toEqual(['stop:stop']);
    expect(mysqldPid()).toBe('0');
    expect((await host.run('stop')).changed).toEqual([]);
    const status = await host.run('status');
    expect(status.ok).toBe(false);
    expect((await host.run('start')).changed).toEqual(['start:start']);
    const ok = await host.run('status');
    expect(ok.ok, failureText(ok.events)).toBe(true);
    expect(ok.events.some((e) => e.type === 'status' && /mysql 10\.\d+.* up \d+s/.test(e.text))).toBe(true);
  });
});
