import { describe, expect, it } from 'vitest';
import { placementOf } from '../../../test/support/placement';
import {
  appHostGrants,
  databaseGrants,
  grantHosts,
  grantSql,
  nativePasswordHash,
  provisionHosts,
  sqlString,
  staleAccountsQuery,
} from './grants';

describe('mysql grants', () => {
  it('hashes like MariaDB PASSWORD()', () => {
    // SELECT PASSWORD('password') on MariaDB 10.11
    expect(nativePasswordHash('password')).toBe('*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19');
    expect(nativePasswordHash('')).toMatch(/^\*[0-9A-F]{40}$/);
  });

  it('quotes SQL strings', () => {
    expect(sqlString("a'b\\c")).toBe("'a\\'b\\\\c'");
  });

  it('grants open_paas to the paas hosts only, all to localhost, never carrying the password in clear', () => {
    const sql = grantSql({
      user: 'bk',
      password: 'S3cret-pass',
      grants: databaseGrants(placementOf({ paas: ['10.0.0.1', '10.0.0.2'], mysql: ['10.0.0.3'] })),
    });
    expect(sql).not.toContain('S3cret-pass');
    const hash = nativePasswordHash('S3cret-pass');
    for (const h of ['10.0.0.1', '10.0.0.2', 'localhost']) {
      expect(sql).toContain(`CREATE USER IF NOT EXISTS 'bk'@'${h}' IDENTIFIED BY PASSWORD '${hash}';`);
    }
    for (const h of ['10.0.0.1', '10.0.0.2'])
      expect(sql).toContain(`GRANT ALL PRIVILEGES ON \`open\\_paas\`.* TO 'bk'@'${h}';`);
    expect(sql).not.toContain('10.0.0.3');
    expect(sql.match(/ON \*\.\*/g)).toEqual(['ON *.*']);
    expect(sql).toContain("GRANT ALL PRIVILEGES ON *.* TO 'bk'@'localhost';");
    expect(sql).toContain(
      `ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING '${hash}';`,
    );
  });

  it('gives app hosts nothing by default', () => {
    const appo = placementOf({ appo: ['10.0.0.7'] });
    expect(appHostGrants(appo)).toEqual([]);
    const sql = grantSql({ user: 'bk', password: 'x', grants: databaseGrants(appo) });
    expect(sql).not.toContain('10.0.0.7');
  });

  it('leaves root@localhost to the root statement when MYSQL_USER is root', () => {
    const sql = grantSql({
      user: 'root',
      password: 'x',
      grants: [{ database: 'open_paas', hosts: ['10.0.0.1'] }],
    });
    expect(sql).not.toContain("'root'@'localhost' IDENTIFIED BY PASSWORD");
    expect(sql).toContain("GRANT ALL PRIVILEGES ON `open\\_paas`.* TO 'root'@'10.0.0.1';");
  });

  it('finds what to take away: hosts outside the plan, global privileges, unplanned databases', () => {
    const q = staleAccountsQuery({
      user: 'bk',
      password: 'x',
      grants: [{ database: 'open_paas', hosts: ['10.0.0.1'] }],
    });
    expect(q).toContain("WHERE User = 'bk' AND Host NOT IN ('10.0.0.1','localhost')");
    expect(q).toContain("JSON_VALUE(Priv, '$.access') <> 0");
    expect(q).toContain("NOT IN ('10.0.0.1 open\\\\_paas')");
  });

  it('refuses what would make bad SQL, saying what it found', () => {
    expect(() => grantSql({ user: "bk'; DROP", password: 'x', grants: [] })).toThrow(
      /expected MYSQL_USER .* found "bk'; DROP"/,
    );
    expect(() => grantSql({ user: 'bk', password: '', grants: [] })).toThrow(/MYSQL_PASS/);
    expect(() => grantSql({ user: 'bk', password: 'x', grants: [{ database: 'a`b', hosts: [] }] })).toThrow(
      /expected a database name/,
    );
    expect(() => grantHosts([{ database: 'd', hosts: ['10.0.0.1', "x'"] }])).toThrow(
      /expected install.config hosts to be IPv4 addresses, found "x'"/,
    );
  });
  it("lets appengine hosts make apps' databases through root's procedures only, nothing global", () => {
    const v = placementOf({ paas: ['10.0.0.1', '10.0.0.2'], 'paas:appengine': ['10.0.0.2'] });
    const plan = { user: 'bk', password: 'x', grants: databaseGrants(v), provision: provisionHosts(v) };
    const sql = grantSql(plan);
    expect(sql).toContain("GRANT EXECUTE ON PROCEDURE `bkcec_provision`.create_app_db TO 'bk'@'10.0.0.2';");
    expect(sql).toContain("GRANT EXECUTE ON PROCEDURE `bkcec_provision`.drop_app_db TO 'bk'@'10.0.0.2';");
    expect(sql).not.toMatch(/CREATE USER ON|GRANT OPTION|bkapp\\\\_%/);
    expect(sql).not.toContain("create_app_db TO 'bk'@'10.0.0.1'");
    expect(sql).toMatch(/DELIMITER \/\/\nCREATE DATABASE IF NOT EXISTS `bkcec_provision` \/\/\n/);
    const q = staleAccountsQuery(plan);
    // every remote host loses its global privileges (CREATE USER of older versions); EXECUTE stays on appengine's
    expect(q).toContain("AND Host <> 'localhost' AND JSON_VALUE");
    // only on hosts that stay: a host outside the plan is dropped (DROP USER takes its EXECUTE too;
    // a REVOKE after it would fail, as shrinking 4 → 3 hosts on the testbed showed)
    expect(q).toContain(
      "FROM mysql.procs_priv WHERE User = 'bk' AND Host IN ('10.0.0.1','10.0.0.2','localhost') AND Host <> 'localhost' AND Host NOT IN ('10.0.0.2');",
    );
  });
});
