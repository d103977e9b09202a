import type { AgentConfig } from '../config';
import { run } from '../jobs/exec';
import type { JobLog } from '../jobs/reporter';
import { safePath, toolEnv } from './layout';

/**
 * The location blocks routing `prefix` (`/t/<code>/`) to the app's local port, path unchanged, and
 * its collected static files (a root-owned copy, symlinks refused) when it has them. Every value
 * is checked before it is written: a code, a port, plain paths.
 */
export function locationConf(
  code: string,
  prefix: string,
  port: number,
  stat?: { dir: string; url: string },
): string {
  if (!/^[a-z][a-z0-9_-]{0,29}$/.test(code) || prefix !== `/${prefix.split('/')[1]}/${code}/`)
    throw new Error(`expected an app code and its prefix, got ${JSON.stringify([code, prefix])}`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`expected a port, got ${port}`);
  const bare = prefix.slice(0, -1);
  const statics = stat
    ? `location ^~ ${safePath(stat.url.endsWith('/') ? stat.url : `${stat.url}/`, 'static URL')} {
    alias ${safePath(stat.dir, 'static folder')}/;
    disable_symlinks on;
    expires 1h;
    add_header X-Bkcec-App ${code} always;
}
`
    : '';
  return `# written by the bkcec agent
location = ${bare} { return 301 ${prefix}; }
${statics}location ^~ ${prefix} {
    proxy_pass http://127.0.0.1:${port};
    proxy_http_version 1.1;
    proxy_set_header Host $http_host;
    proxy_set_header X-Real-IP $remote_addr;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_set_header X-Script-Name ${bare};
    proxy_read_timeout 600s;
    add_header X-Bkcec-App ${code} always;
}
`;
}

const base = (cfg: AgentConfig) => [
  ...(cfg.nginx.prefix ? ['-p', cfg.nginx.prefix] : []),
  '-c',
  cfg.nginx.conf,
];

/** `nginx -t` then `nginx -s reload`; a failing test throws before anything is reloaded. */
export async function testAndReload(cfg: AgentConfig, log: JobLog, signal: AbortSignal): Promise<void> {
  await run(cfg.nginx.bin, ['-t', '-q', ...base(cfg)], { env: toolEnv(cfg), signal, log });
  await run(cfg.nginx.bin, ['-s', 'reload', ...base(cfg)], { env: toolEnv(cfg), signal, log });
}

/**
 * Wait until the agent's nginx routes `prefix` to app `code` (its X-Bkcec-App header), or no
 * longer does when `routed` is false: a reload only takes effect once new workers run.
 */
export async function waitRouted(
  cfg: AgentConfig,
  code: string,
  prefix: string,
  routed: boolean,
  signal: AbortSignal,
): Promise<void> {
  const url = `http://127.0.0.1:${cfg.nginx.port}${prefix}`;
  let last = '';
  for (let i = 0; i < 100 && !signal.aborted; i++) {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2_000), redirect: 'manual' });
      await r.arrayBuffer();
      if ((r.headers.get('x-bkcec-app') === code) === routed) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(
    `expected nginx ${routed ? 'to route' : 'to stop routing'} ${url} to ${code} after the reload, found ${last}`,
  );
}
