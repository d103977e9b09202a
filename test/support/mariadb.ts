import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { provisionProcedures } from '../../lib/mysql/provision';
import { freePort, tempDir, waitFor } from './ports';
import { startDaemon } from './process';

/** A throwaway MariaDB server owned by one test file. */
export interface MariaDb {
  host: string;
  port: number;
  socket: string;
  rootUser: string;
  rootPassword: string;
  /** Stop the server and delete its data directory. */
  stop(): Promise<void>;
}

const run = promisify(execFile);

/**
 * Initialise a data dir in a temp folder and start `mariadbd` on a free port (127.0.0.1 only).
 * root works without a password over the socket and with `rootPassword` over TCP.
 */
export async function startMariadb(): Promise<MariaDb> {
  const dir = await tempDir('mariadb');
  const datadir = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? ['--user=root'] : [];
  await run('mariadb-install-db', [
    '--no-defaults',
    `--datadir=${datadir}`,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
    ...user,
  ]);
  const d = startDaemon(
    'mariadbd',
    [
      '--no-defaults',
      `--datadir=${datadir}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--pid-file=${join(dir, 'mysqld.pid')}`,
      '--skip-name-resolve',
      '--skip-log-bin',
      '--innodb-buffer-pool-size=64M',
      '--max-connections=500',
      ...user,
    ],
    join(dir, 'mysqld.log'),
  );
  const rootPassword = randomBytes(12).toString('hex');
  try {
    await waitFor('mariadbd', async () => {
      if (d.exited()) throw new Error(`mariadbd exited; see ${join(dir, 'mysqld.log')}`);
      const c = await mysql.createConnection({ socketPath: socket, user: 'root' });
      await c.query(`CREATE OR REPLACE USER 'root'@'127.0.0.1' IDENTIFIED BY '${rootPassword}'`);
      await c.query(`GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION`);
      await c.end();
      return true;
    });
  } catch (e) {
    await d.stop();
    throw e;
  }
  return {
    host: '127.0.0.1',
    port,
    socket,
    rootUser: 'root',
    rootPassword,
    async stop() {
      await d.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Root's app-database procedures, as `initdata mysql` defines them (appengine calls them on deploy). */
export async function defineProvisioning(db: MariaDb): Promise<void> {
  const c = await mysql.createConnection({
    host: db.host,
    port: db.port,
    user: db.rootUser,
    password: db.rootPassword,
  });
  try {
    for (const q of provisionProcedures()) await c.query(q);
  } finally {
    await c.end();
  }
}
