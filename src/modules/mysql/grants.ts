// The SQL of `initdata mysql`: root secured; MYSQL_USER granted per database from exactly the hosts
// whose modules use it (the platform database to paas hosts), with no global privilege for any host
// of install.config; `localhost` (the socket of the mysql host) stays the operator's full account.
// Passwords travel only as mysql_native_password hashes, never in clear.
import { nativePasswordHash, provisionGrants, provisionProcedures } from '../../../lib/mysql/provision';
import type { Placement } from '../../engine/types';

export { nativePasswordHash };

/** A SQL string literal (MariaDB default sql_mode: backslash and quote escaped). */
export const sqlString = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const USER_RE = /^[A-Za-z0-9_.-]{1,80}$/;
const HOST_RE = /^(localhost|[0-9]{1,3}(\.[0-9]{1,3}){3})$/;
const DB_RE = /^[a-z][a-z0-9_]{0,63}$/;

/** One database and the hosts MYSQL_USER may use it from. */
export interface DatabaseGrant {
  database: string;
  hosts: readonly string[];
}

export interface GrantPlan {
  /** Hosts whose account also provisions app databases (EXECUTE on the provisioning procedures). */
  provision?: readonly string[];
  /** Account name (MYSQL_USER). */
  user: string;
  password: string;
  grants: readonly DatabaseGrant[];
}

/**
 * Databases of the app agents' hosts. None by default: each app's own database is granted by the
 * app design (issue 17, per-app databases); add its DatabaseGrant entries here.
 */
export const appHostGrants = (_p: Placement): DatabaseGrant[] => [];

/** The hosts whose MYSQL_USER account provisions app databases: those that run appengine. */
export const provisionHosts = (p: Placement): string[] => p.hostsOf('paas', 'appengine');

/** What install.config's placement needs: open_paas from every paas host, then the apps' databases. */
export const databaseGrants = (p: Placement): DatabaseGrant[] => [
  { database: 'open_paas', hosts: p.hostsOf('paas') },
  ...appHostGrants(p),
];

/** The IPs some grant names, then `localhost` (socket); each checked to be an IPv4 address. */
export function grantHosts(grants: readonly DatabaseGrant[]): string[] {
  const hosts = grants.flatMap((g) => g.hosts);
  for (const h of hosts) {
    if (!HOST_RE.test(h))
      throw new Error(`expected install.config hosts to be IPv4 addresses, found ${JSON.stringify(h)}`);
  }
  return [...new Set([...hosts, 'localhost'])];
}

/** A database name as a grant target: `_` escaped, so it is not a wildcard (open_paas ≠ openXpaas). */
const dbTarget = (db: string) => `\`${db.replace(/_/g, '\\_')}\`.*`;

function checkPlan(p: GrantPlan): void {
  if (!USER_RE.test(p.user)) {
    throw new Error(
      `expected MYSQL_USER of 1-80 letters, digits, '_', '.' or '-', found ${JSON.stringify(p.user)}`,
    );
  }
  if (!p.password) throw new Error('expected MYSQL_PASS to be set, found it empty');
  for (const g of p.grants)
    if (!DB_RE.test(g.database))
      throw new Error(`expected a database name, found ${JSON.stringify(g.database)}`);
}

/** Statements making the accounts what the plan says (idempotent; changes nothing already right). */
export function grantSql(p: GrantPlan): string {
  checkPlan(p);
  const hash = sqlString(nativePasswordHash(p.password));
  const user = sqlString(p.user);
  const lines = [
    '-- root@localhost: the OS root user over the socket (unix_socket), or MYSQL_PASS; no remote root.',
    `ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING ${hash};`,
  ];
  if (p.provision?.length)
    lines.push(
      '-- app databases: made by root-defined procedures only',
      'DELIMITER //',
      ...provisionProcedures().map((q) => `${q} //`),
      'DELIMITER ;',
    );
  for (const h of grantHosts(p.grants)) {
    if (p.user === 'root' && h === 'localhost') continue;
    const acct = `${user}@${sqlString(h)}`;
    lines.push(
      `CREATE USER IF NOT EXISTS ${acct} IDENTIFIED BY PASSWORD ${hash};`,
      `ALTER USER ${acct} IDENTIFIED BY PASSWORD ${hash};`,
    );
    if (h === 'localhost') lines.push(`GRANT ALL PRIVILEGES ON *.* TO ${acct};`);
    else if (p.provision?.includes(h)) lines.push(...provisionGrants(acct).map((g) => `${g};`));
    for (const g of p.grants.filter((x) => x.hosts.includes(h)))
      lines.push(`GRANT ALL PRIVILEGES ON ${dbTarget(g.database)} TO ${acct};`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A query printing the statements that take away what the plan does not give: `DROP USER` for hosts
 * outside it (which takes their other privileges too), global privileges of the hosts' accounts, and
 * database and procedure grants no longer planned.
 */
export function staleAccountsQuery(p: GrantPlan): string {
  checkPlan(p);
  const u = sqlString(p.user);
  const keep = grantHosts(p.grants).map(sqlString).join(',');
  const acct = "QUOTE(User), '@', QUOTE(Host)";
  const planned = [
    ...p.grants.flatMap((g) => g.hosts.map((h) => sqlString(`${h} ${g.database.replace(/_/g, '\\_')}`))),
  ];
  return `SELECT CONCAT('DROP USER ', ${acct}, ';') FROM mysql.global_priv WHERE User = ${u} AND Host NOT IN (${keep});
SELECT CONCAT('REVOKE ALL PRIVILEGES, GRANT OPTION FROM ', ${acct}, ';') FROM mysql.global_priv WHERE User = ${u} AND Host IN (${keep}) AND Host <> 'localhost' AND JSON_VALUE(Priv, '$.access') <> 0;
SELECT CONCAT('REVOKE ALL PRIVILEGES ON \`', REPLACE(Db, '\`', '\`\`'), '\`.* FROM ', ${acct}, ';') FROM mysql.db WHERE User = ${u} AND Host IN (${keep}) AND Host <> 'localhost' AND CONCAT(Host, ' ', Db) NOT IN (${planned.length ? planned.join(',') : "''"});
SELECT CONCAT('REVOKE EXECUTE ON PROCEDURE \`', Db, '\`.', Routine_name, ' FROM ', ${acct}, ';') FROM mysql.procs_priv WHERE User = ${u} AND Host IN (${keep}) AND Host <> 'localhost'${p.provision?.length ? ` AND Host NOT IN (${p.provision.map(sqlString).join(',')})` : ''};
`;
}

/** A query whose output changes exactly when root's or MYSQL_USER's accounts or privileges change. */
export function accountsSnapshotQuery(user: string): string {
  return `SELECT User, Host, JSON_REMOVE(Priv, '$.password_last_changed') FROM mysql.global_priv WHERE User IN ('root', ${sqlString(user)}) ORDER BY User, Host;
SELECT User, Host, Db FROM mysql.db WHERE User = ${sqlString(user)} ORDER BY User, Host, Db;
SELECT User, Host, Db, Routine_name FROM mysql.procs_priv WHERE User = ${sqlString(user)} ORDER BY User, Host, Db, Routine_name;
`;
}
