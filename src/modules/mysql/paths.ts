// Where the platform's MariaDB keeps its config, data and socket on a host.

type Vars = Readonly<Record<string, string>>;

/** Paths of the mysql instance under INSTALL_PATH (the my.cnf template uses the same ones). */
export function mysqlPaths(v: Vars) {
  const p = v.INSTALL_PATH;
  return {
    conf: `${p}/etc/my.cnf`,
    data: `${p}/public/mysql`,
    run: `${p}/run/mysql`,
    socket: `${p}/run/mysql/mysql.sock`,
  };
}

/** The admin client: OS root over the socket (unix_socket auth), ignoring every other option file. */
export const rootClient = (v: Vars): string =>
  `mariadb --no-defaults --socket=${mysqlPaths(v).socket} -uroot`;

/** Bash that waits up to `secs` seconds for the server to answer a query on its socket. */
export const waitReady = (v: Vars, secs = 60): string =>
  `for i in $(seq ${secs * 20}); do ${rootClient(v)} -NBe 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.05; done
${rootClient(v)} -NBe 'SELECT 1' >/dev/null || { echo "mysql did not answer on ${mysqlPaths(v).socket} within ${secs}s; see ${v.INSTALL_PATH}/logs/mysql/" >&2; exit 1; }`;
