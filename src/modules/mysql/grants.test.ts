import { describe, expect, it } from 'vitest';
import { grantHosts, grantSql, nativePasswordHash, sqlString, staleAccountsQuery } from './grants';

describe('mysql grants', () => {
  it('hashes like MariaDB PASSWORD()', () => {
    // SELECT PASSWORD('password') on MariaDB 10.11
    expect(nativePasswordHash('password')).toBe('*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19');
    expect(nativePasswordHash('')).toMatch(/^\*[0-9A-F]{40}$/);
  });

  it('quotes SQL strings', () => {
    expect(sqlString("a'b\\c")).toBe("'a\\'b\\\\c'");
  });

  it('grants every inventory IP and localhost, never carrying the password in clear', () => {
    const sql = grantSql({
      user: 'bk',
      password: 'S3cret-pass',
      hosts: ['10.0.0.1', '10.0.0.2', '10.0.0.1'],
    });
    expect(sql).not.toContain('S3cret-pass');
    const hash = nativePasswordHash('S3cret-pass');
    for (const h of ['10.0.0.1', '10.0.0.2', 'localhost']) {
      expect(sql).toContain(`CREATE USER IF NOT EXISTS 'bk'@'${h}' IDENTIFIED BY PASSWORD '${hash}';`);
      expect(sql).toContain(`GRANT ALL PRIVILEGES ON *.* TO 'bk'@'${h}';`);
    }
    expect(sql.match(/GRANT ALL/g)).toHaveLength(3);
    expect(sql).toContain(
      `ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING '${hash}';`,
    );
  });

  it('leaves root@localhost to the root statement when MYSQL_USER is root', () => {
    const sql = grantSql({ user: 'root', password: 'x', hosts: ['10.0.0.1'] });
    expect(sql).not.toContain("'root'@'localhost' IDENTIFIED BY PASSWORD");
    expect(sql).toContain("GRANT ALL PRIVILEGES ON *.* TO 'root'@'10.0.0.1';");
  });

  it('finds stale accounts: every host of the user outside the plan', () => {
    expect(staleAccountsQuery({ user: 'bk', password: 'x', hosts: ['10.0.0.1'] })).toContain(
      "WHERE User = 'bk' AND Host NOT IN ('10.0.0.1','localhost')",
    );
  });

  it('refuses what would make bad SQL, saying what it found', () => {
    expect(() => grantSql({ user: "bk'; DROP", password: 'x', hosts: [] })).toThrow(
      /expected MYSQL_USER .* found "bk'; DROP"/,
    );
    expect(() => grantSql({ user: 'bk', password: '', hosts: [] })).toThrow(/MYSQL_PASS/);
    expect(() => grantHosts(['10.0.0.1', "x'"])).toThrow(
      /expected install.config hosts to be IPv4 addresses, found "x'"/,
    );
  });
});
