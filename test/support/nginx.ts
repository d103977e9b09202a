import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, tempDir, waitFor } from './ports';
import { startDaemon } from './process';

/** A throwaway nginx listening on 127.0.0.1:`port`. */
export interface Nginx {
  port: number;
  stop(): Promise<void>;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port, path: '/', method: 'HEAD', timeout: 1000 }, (res) => {
      res.resume();
      resolve(true);
    });
    r.on('error', reject);
    r.end();
  });
}

/**
 * Start nginx with `httpBody(port)` as the content of its `http {}` block (server blocks,
 * upstreams); `port` is a free port the server block should `listen` on.
 */
export async function startNginx(httpBody: (port: number) => string): Promise<Nginx> {
  const dir = await tempDir('nginx');
  const port = await freePort();
  await mkdir(join(dir, 'logs'));
  const userLine = process.getuid?.() === 0 ? 'user root root;' : '';
  const conf = `${userLine}
daemon off; master_process on; worker_processes 1;
pid ${dir}/nginx.pid; error_log ${dir}/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log ${dir}/logs/access.log;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  ${httpBody(port)}
}
`;
  await writeFile(join(dir, 'nginx.conf'), conf);
  await promisify(execFile)('nginx', [
    '-t',
    '-q',
    '-p',
    dir,
    '-c',
    join(dir, 'nginx.conf'),
    '-e',
    join(dir, 'logs/error.log'),
  ]);
  const d = startDaemon(
    'nginx',
    ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'logs/error.log')],
    join(dir, 'stdout.log'),
  );
  await waitFor('nginx', () => {
    if (d.exited()) throw new Error(`nginx exited; see ${dir}/logs/error.log`);
    return answers(port);
  });
  return {
    port,
    async stop() {
      await d.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
