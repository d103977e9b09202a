// The SQL of `initdata mysql`: root secured, MYSQL_USER granted from exactly the install.config hosts
// (and the local socket). Passwords travel only as mysql_native_password hashes, never in clear.
import { createHash } from 'node:crypto';

/** mysql_native_password's stored form of a password: `*` + upper-case hex of SHA1(SHA1(password)). */
export function nativePasswordHash(password: string): string {
  const inner = createHash('sha1').update(password, 'utf8').digest();
  return `*${createHash('sha1').update(inner).digest('hex').toUpperCase()}`;
}

/** A SQL string literal (MariaDB default sql_mode: backslash and quote escaped). */
export const sqlString = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const USER_RE = /^[A-Za-z0-9_.-]{1,80}$/;
const HOST_RE = /^(localhost|[0-9]{1,3}(\.[0-9]{1,3}){3})$/;

export interface GrantPlan {
  /** Account name granted ALL on *.* (MYSQL_USER). */
  user: string;
  password: string;
  /** IPs of every host in install.config. */
  hosts: readonly string[];
}

/** The hosts MYSQL_USER should exist for: every install.config IP, then `localhost` (socket). */
export function grantHosts(hosts: readonly string[]): string[] {
  for (const h of hosts) {
    if (!HOST_RE.test(h))
      throw new Error(`expected install.config hosts to be IPv4 addresses, found ${JSON.stringify(h)}`);
  }
  return [...new Set([...hosts, 'localhost'])];
}

/** Statements making the accounts what the plan says (idempotent; changes nothing already right). */
export function grantSql(p: GrantPlan): string {
  if (!USER_RE.test(p.user)) {
    throw new Error(
      `expected MYSQL_USER of 1-80 letters, digits, '_', '.' or '-', found ${JSON.stringify(p.user)}`,
    );
  }
  if (!p.password) throw new Error('expected MYSQL_PASS to be set, found it empty');
  const hash = sqlString(nativePasswordHash(p.password));
  const user = sqlString(p.user);
  const hosts = grantHosts(p.hosts);
  const lines = [
    '-- root@localhost: the OS root user over the socket (unix_socket), or MYSQL_PASS; no remote root.',
    `ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING ${hash};`,
  ];
  for (const h of hosts) {
    if (p.user === 'root' && h === 'localhost') continue;
    const acct = `${user}@${sqlString(h)}`;
    lines.push(
      `CREATE USER IF NOT EXISTS ${acct} IDENTIFIED BY PASSWORD ${hash};`,
      `ALTER USER ${acct} IDENTIFIED BY PASSWORD ${hash};`,
      `GRANT ALL PRIVILEGES ON *.* TO ${acct};`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A query printing one `DROP USER` per MYSQL_USER account whose host is no longer in the plan. */
export function staleAccountsQuery(p: GrantPlan): string {
  const keep = grantHosts(p.hosts).map(sqlString).join(',');
  return `SELECT CONCAT('DROP USER ', QUOTE(User), '@', QUOTE(Host), ';') FROM mysql.global_priv WHERE User = ${sqlString(p.user)} AND Host NOT IN (${keep});\n`;
}

/** A query whose output changes exactly when root's or MYSQL_USER's accounts or privileges change. */
export function accountsSnapshotQuery(user: string): string {
  return `SELECT User, Host, JSON_REMOVE(Priv, '$.password_last_changed') FROM mysql.global_priv WHERE User IN ('root', ${sqlString(user)}) ORDER BY User, Host;\n`;
}
