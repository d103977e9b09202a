import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { freePort, tempDir, waitFor } from './ports';
import { startDaemon } from './process';

/** A throwaway password-protected Redis server. */
export interface RedisServer {
  host: string;
  port: number;
  password: string;
  stop(): Promise<void>;
}

function ping(port: number, password: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.setTimeout(1000, () => s.destroy(new Error('timeout')));
    s.on('error', reject);
    s.on('connect', () => s.write(`AUTH ${password}\r\nPING\r\n`));
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString();
      if (buf.includes('PONG')) {
        s.end();
        resolve(true);
      } else if (buf.includes('-')) {
        s.end();
        reject(new Error(buf.trim()));
      }
    });
  });
}

/** Start redis-server on a free port; the password goes in a 0600 config file, never argv. */
export async function startRedis(): Promise<RedisServer> {
  const dir = await tempDir('redis');
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const conf = join(dir, 'redis.conf');
  await writeFile(
    conf,
    `port ${port}\nbind 127.0.0.1\nrequirepass ${password}\nsave ""\nappendonly no\ndir ${dir}\ndaemonize no\n`,
    { mode: 0o600 },
  );
  const d = startDaemon('redis-server', [conf], join(dir, 'redis.log'));
  await waitFor('redis-server', () => {
    if (d.exited()) throw new Error(`redis-server exited; see ${join(dir, 'redis.log')}`);
    return ping(port, password);
  });
  return {
    host: '127.0.0.1',
    port,
    password,
    async stop() {
      await d.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
