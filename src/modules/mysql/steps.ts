// The host steps of the mysql module: config, data dir, supervisor program, consul service, grants.
import type { Placement, Step } from '../../engine/types';
import { templatesDir } from '../../paths';
import { renderDir } from '../../render';
import type { ServiceSpec } from '../common/supervised';
import type { Program } from '../common/supervisor';
import { consulServiceStep } from '../consul/service';
import {
  accountsSnapshotQuery,
  databaseGrants,
  grantSql,
  provisionHosts,
  staleAccountsQuery,
} from './grants';
import { mysqlPaths, rootClient, waitReady } from './paths';

type Vars = Readonly<Record<string, string>>;

const TEMPLATES = templatesDir('mysql');

/** The one program of the group: mariadbd on our my.cnf (it drops to user mysql itself). */
export const mysqlProgram = (v: Vars): Program => ({
  name: 'mysqld',
  command: `/usr/sbin/mariadbd --defaults-file=${mysqlPaths(v).conf}`,
  stopwaitsecs: 120,
});

/** my.cnf rendered; a change makes a restart of mysql owed. */
export async function configStep(v: Vars): Promise<Step> {
  const files = await renderDir(TEMPLATES, v, {
    installPath: v.INSTALL_PATH!,
    moduleHome: `${v.INSTALL_PATH}/etc`,
  });
  const p = mysqlPaths(v);
  return {
    id: 'config',
    title: 'render my.cnf',
    files,
    notify: 'mysql',
    script: `install -d -o mysql -g mysql -m 0755 ${p.run}
install -d -o mysql -g mysql -m 0750 ${p.data}`,
  };
}

/** /etc/my.cnf → our my.cnf (the original kept once), and Debian's clients pointed at our socket. */
export function etcLinkStep(v: Vars): Step {
  const p = mysqlPaths(v);
  return {
    id: 'etc-link',
    title: '/etc/my.cnf → INSTALL_PATH/etc/my.cnf',
    always: true,
    script: `if [ "$(readlink /etc/my.cnf 2>/dev/null)" != "${p.conf}" ]; then
  if [ -e /etc/my.cnf ] && [ ! -L /etc/my.cnf ] && [ ! -e /etc/my.cnf.bkcec-orig ]; then mv /etc/my.cnf /etc/my.cnf.bkcec-orig; fi
  ln -sfn ${p.conf} /etc/my.cnf; bk_changed
fi
# Debian's /etc/mysql/mariadb.cnf (read after /etc/my.cnf) names the distro socket; ours comes last.
if [ -d /etc/mysql/mariadb.conf.d ]; then
  want=$(printf '# written by bkcec: clients on this host use the platform instance\\n[client]\\nsocket = %s\\nport = %s\\n' ${p.socket} ${v.MYSQL_PORT})
  f=/etc/mysql/mariadb.conf.d/99-bkcec-client.cnf
  if [ "$(cat $f 2>/dev/null)" != "$want" ]; then printf '%s\\n' "$want" > $f; bk_changed; fi
fi`,
  };
}

/** The data dir initialised once (into a temp dir, then moved, so a failed run leaves nothing half-made). */
export function dataDirStep(v: Vars): Step {
  const p = mysqlPaths(v);
  return {
    id: 'datadir',
    title: `data dir ${p.data}`,
    always: true,
    script: `d=${p.data}
[ -d "$d/mysql" ] && exit 0
if [ -n "$(ls -A "$d" 2>/dev/null)" ]; then echo "expected $d to be empty or an initialised data dir (with mysql/), found other files; move them away" >&2; exit 1; fi
tmp="$d.bkcec-init"; rm -rf "$tmp"; install -d -o mysql -g mysql -m 0750 "$tmp"
if ! mariadb-install-db --defaults-file=${p.conf} --datadir="$tmp" --user=mysql --auth-root-authentication-method=socket --skip-test-db > "$BK_TMP/installdb.log" 2>&1; then
  cat "$BK_TMP/installdb.log" >&2; echo "mariadb-install-db failed" >&2; exit 1
fi
rmdir "$d" 2>/dev/null || true; mv "$tmp" "$d"; bk_changed`,
  };
}

/** The consul service `mysql` (TCP check on LAN_IP:MYSQL_PORT). */
export const mysqlConsulStep = (v: Vars): Step =>
  consulServiceStep(v, { name: 'mysql', port: Number(v.MYSQL_PORT), check: { tcp: true } });

/** Waits until the server answers on its socket (supervisor's RUNNING only means "up for startsecs"). */
export const readyStep = (v: Vars): Step => ({
  id: 'ready',
  title: 'mysql answers on its socket',
  always: true,
  script: waitReady(v),
});

/** A real query over the socket, reported as status. */
export const queryStep = (v: Vars): Step => ({
  id: 'query',
  title: 'mysql answers a query',
  always: true,
  script: `out=$(${rootClient(v)} -NBe "SELECT CONCAT('mysql ', VERSION(), ' on ${v.LAN_IP}:${v.MYSQL_PORT}, up ', VARIABLE_VALUE, 's') FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'UPTIME'" 2>&1) || { bk_status "mysql: no answer on ${mysqlPaths(v).socket}: $out"; exit 1; }
bk_status "$out"`,
});

/** Root secured, MYSQL_USER granted per database from the hosts that use it; anything else taken away. */
export function grantsStep(v: Vars, p: Placement): Step {
  const plan = {
    user: v.MYSQL_USER ?? '',
    password: v.MYSQL_PASS ?? '',
    grants: databaseGrants(p),
    provision: provisionHosts(p),
  };
  const sql = rootClient(v);
  const what = plan.grants.map((g) => `${g.database} from ${g.hosts.length} host(s)`).join(', ');
  return {
    id: 'grants',
    title: `grant ${plan.user}: ${what}; all from localhost`,
    always: true,
    script: `${waitReady(v)}
snap() { ${sql} -NB <<'BKSQL'
${accountsSnapshotQuery(plan.user)}BKSQL
}
before=$(snap)
# What the plan no longer gives goes first: a REVOKE ALL would also take grants made before it.
drops=$(${sql} -NB <<'BKSQL'
${staleAccountsQuery(plan)}BKSQL
)
if [ -n "$drops" ]; then echo "$drops" | sed 's/^/removing: /'; ${sql} -NB <<< "$drops"; fi
${sql} -NB <<'BKSQL'
${grantSql(plan)}BKSQL
[ "$before" = "$(snap)" ] || bk_changed`,
  };
}

/** mysql as a supervised service: my.cnf, the /etc link and the data dir before supervisord. */
export const mysqlService: ServiceSpec = {
  module: 'mysql',
  packages: ['mariadb-server', 'mariadb-client'],
  distroServices: ['mariadb'],
  setup: async (v) => [await configStep(v), etcLinkStep(v), dataDirStep(v)],
  programs: (v) => [mysqlProgram(v)],
  consul: mysqlConsulStep,
  ready: readyStep,
  check: queryStep,
};
