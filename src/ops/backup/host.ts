// What backup and restore run on the mysql host, as OS root over the socket (unix_socket auth):
// no password is needed, so none is on a command line, in an environment or in a file.
import { mysqlPaths, rootClient, waitReady } from '../../modules/mysql/paths';
import type { Transport } from '../../transport/transport';

type Vars = Readonly<Record<string, string>>;

/** Where the dump waits on the mysql host between the database and the controller (root-only). */
export const hostDumpPath = (v: Vars, kind: 'backup' | 'restore') =>
  `${v.INSTALL_PATH}/.bkcec/${kind}/dump.sql`;

/** The platform database and every app database, as the server lists them. */
const SCHEMAS = `SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'open_paas' OR SCHEMA_NAME LIKE 'bkapp\\\\_%' ORDER BY SCHEMA_NAME <> 'open_paas', SCHEMA_NAME`;

/** One consistent dump (one transaction across all databases) into the host's dump file; prints the database names. */
export function dumpScript(v: Vars): string {
  const f = hostDumpPath(v, 'backup');
  return `set -euo pipefail
umask 077
${waitReady(v)}
dbs=$(${rootClient(v)} -NBe "${SCHEMAS}" | tr '\\n' ' ')
case " $dbs " in *" open_paas "*) ;; *) echo "expected database open_paas on this host, found none: is paas deployed?" >&2; exit 1;; esac
install -d -m 0700 ${f.replace(/\/[^/]+$/, '')}
mariadb-dump --no-defaults --socket=${mysqlPaths(v).socket} -uroot --single-transaction --quick --hex-blob \\
  --routines --triggers --events --add-drop-database --databases $dbs > ${f}
echo "$dbs"`;
}

/** The S-mart packages the dump holds, as `code<TAB>version<TAB>md5` lines. */
export const packagesQuery = (v: Vars) =>
  `set -euo pipefail\n${rootClient(v)} -NBe 'SELECT app_code, version, md5 FROM open_paas.engine_saas_packages ORDER BY id'`;

/**
 * Loads the dump (each database dropped and made again), then gives every app its account back
 * from engine_app_databases (same name and password as appengine made them, rights on its schema only).
 */
export function loadScript(v: Vars): string {
  const f = hostDumpPath(v, 'restore');
  const sql = rootClient(v);
  return `set -euo pipefail
${waitReady(v)}
trap 'rm -f ${f}' EXIT
${sql} < ${f}
${sql} -NBr <<'BKSQL' | ${sql}
SELECT CONCAT('CREATE USER IF NOT EXISTS ', QUOTE(db_user), '@''%'' IDENTIFIED BY ', QUOTE(db_password), '; ',
  'ALTER USER ', QUOTE(db_user), '@''%'' IDENTIFIED BY ', QUOTE(db_password), '; ',
  'GRANT ALL PRIVILEGES ON \`', REPLACE(REPLACE(db_name, '_', '\\\\_'), '%', '\\\\%'), '\`.* TO ', QUOTE(db_user), '@''%'';')
FROM open_paas.engine_app_databases
BKSQL
${sql} -NBe 'SELECT COUNT(*) FROM open_paas.engine_app_databases'`;
}

/** Runs a script; throws naming the host and its stderr unless it exits 0. */
export async function runOk(
  t: Transport,
  what: string,
  script: string,
  timeoutMs = 600_000,
): Promise<string> {
  const r = await t.run(script, { timeoutMs });
  if (r.code !== 0)
    throw new Error(`${t.host}: ${what} failed (exit ${r.code}): ${r.stderr.trim().slice(-2000)}`);
  return r.stdout;
}
