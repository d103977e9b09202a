// Benchmark: an authenticated ESB call (bk_app_code + bk_app_secret + bk_token, declarative
// component CC.get_host_base_info) forwarded to a local echo back end, against nginx proxying
// the same request to the same back end. Same machine, same run, measured with wrk.
// Processes: MariaDB + Redis (test support), login (in this process; ESB caches bk_token
// answers), the echo back ends (nginx with 1 worker, and a single Node process), and per mode
// the ESB bundle with N worker processes and an nginx proxy with N workers (upstream keep-alive).
// Modes: every back end in --backend × every N in --workers. Rounds alternate nginx and ESB so
// other load on the machine hits both alike; medians are reported, with the load average.
// Run: npx tsx bench/esb-vs-nginx.ts [--backend nginx,node] [--workers 1,2] [--seconds 8]
//        [--connections 64] [--rounds 3] [--esb-entry platform/paas/esb/main.ts]
// (--esb-entry builds the ESB from another checkout, e.g. an older commit, to compare builds.)
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { exec } from '../platform/paas/common/db/pool';
import { openRedis } from '../platform/paas/common/redis/redis';
import { syncEsb } from '../platform/paas/esb/sync/sync';
import { buildLoginApp } from '../platform/paas/login/app';
import { createAdmin } from '../platform/paas/login/users/admin';
import { startNginx } from '../test/support/nginx';
import { startPaasDeps, testConfig } from '../test/support/paas';
import { freePort, tempDir, waitFor } from '../test/support/ports';
import { table } from './lib/timing';
import { medianRun, type WrkRun, wrk } from './lib/wrk';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : def;
};
const SECONDS = Number(arg('seconds', '8'));
const CONNS = Number(arg('connections', '64'));
const ROUNDS = Number(arg('rounds', '3'));
const WORKERS = arg('workers', '1,2').split(',').map(Number);
const BACKENDS = arg('backend', 'nginx,node').split(',');
const ESB_ENTRY = arg('esb-entry', 'platform/paas/esb/main.ts');
for (const b of BACKENDS)
  if (b !== 'nginx' && b !== 'node') throw new Error(`--backend: expected nginx and/or node, found ${b}`);

/** A process we started: its port, its pid (for CPU accounting) and how to stop it. */
interface Proc {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

function stopper(child: ReturnType<typeof spawn>): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
}

/** The echo body both back ends answer: the request URI inside an ESB-style JSON envelope. */
const NODE_ECHO = `const http = require('node:http');
http.createServer((q, r) => {
  const b = '{"result":true,"code":0,"message":"","data":{"uri":' + JSON.stringify(q.url) + '}}';
  r.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(b) });
  r.end(b);
}).listen(Number(process.argv[1]), '127.0.0.1');`;

/** The Node echo back end: one process, node:http defaults. */
async function startNodeEcho(): Promise<Proc> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', NODE_ECHO, String(port)], { stdio: 'ignore' });
  await waitFor('node echo', async () => (await fetch(`http://127.0.0.1:${port}/`)).ok);
  return { port, pid: child.pid!, stop: stopper(child) };
}

/** An nginx proxy to the echo back end with `workers` worker processes. */
async function startProxy(dir: string, echoPort: number, workers: number): Promise<Proc> {
  const port = await freePort();
  const d = join(dir, `proxy-${port}`);
  await mkdir(d, { recursive: true });
  const conf = `${process.getuid?.() === 0 ? 'user root root;' : ''} daemon off; worker_processes ${workers};
pid ${d}/nginx.pid; error_log ${d}/error.log warn; events { worker_connections 4096; }
http { access_log off; client_body_temp_path ${d}/b; proxy_temp_path ${d}/p; fastcgi_temp_path ${d}/f; uwsgi_temp_path ${d}/u; scgi_temp_path ${d}/s;
  upstream echo { server 127.0.0.1:${echoPort}; keepalive 64; }
  server { listen 127.0.0.1:${port}; location / { proxy_pass http://echo; proxy_http_version 1.1; proxy_set_header Connection ""; } } }`;
  await writeFile(join(d, 'nginx.conf'), conf);
  const child = spawn('nginx', ['-p', d, '-c', join(d, 'nginx.conf'), '-e', join(d, 'error.log')], {
    stdio: 'ignore',
  });
  await waitFor('nginx proxy', async () => (await fetch(`http://127.0.0.1:${port}/`)).ok);
  return { port, pid: child.pid!, stop: stopper(child) };
}

/** One benchmark mode's medians. */
interface Row {
  backend: string;
  workers: number;
  nginx: WrkRun;
  esb: WrkRun;
  load: string;
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

/** The ESB bundle with `workers` processes, sending CC calls to `echoPort`. */
async function startEsb(
  dir: string,
  base: ReturnType<typeof testConfig>,
  echoPort: number,
  workers: number,
): Promise<Proc> {
  const port = await freePort();
  const cfg = join(dir, `paas-${port}.json`);
  const config = {
    ...base,
    listen: { host: '127.0.0.1', ports: { appengine: 8000, paas: 8001, esb: port, login: 8003 } },
    esb: { systems: { CC: { host: `http://127.0.0.1:${echoPort}` } }, cacheSec: 5, workers },
  };
  await writeFile(cfg, JSON.stringify(config), { mode: 0o600 });
  const nodeArgs = (process.env.ESB_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(dir, 'esb.mjs'), '--config', cfg], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => {
    const lines = d
      .toString()
      .split('\n')
      .filter((l) => l !== '' && !l.includes(' listening on '));
    if (lines.length > 0) process.stderr.write(`${lines.join('\n')}\n`);
  });
  await waitFor('esb', async () => (await fetch(`http://127.0.0.1:${port}/healthz/`)).ok);
  return { port, pid: child.pid!, stop: stopper(child) };
}

/** Alternating rounds of nginx and ESB for one back end and worker count. */
async function measure(nginxUrl: string, esbUrl: string, proxy: Proc, esb: Proc): Promise<[WrkRun, WrkRun]> {
  const check = (await (await fetch(esbUrl)).json()) as { result: boolean; data: { uri: string } };
  if (!check.result || !check.data.uri.startsWith('/api/v3/hosts/0/1?'))
    throw new Error(`ESB call failed: ${JSON.stringify(check)}`);
  await wrk(nginxUrl, 2, CONNS, proxy.pid); // warm-up both paths (JIT, pools)
  await wrk(esbUrl, 3, CONNS, esb.pid);
  const ns: WrkRun[] = [];
  const es: WrkRun[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    ns.push(await wrk(nginxUrl, SECONDS, CONNS, proxy.pid));
    es.push(await wrk(esbUrl, SECONDS, CONNS, esb.pid));
  }
  const rounds = (l: WrkRun[]) => l.map((x) => x.rps.toFixed(0)).join(' ');
  console.log(`  rounds req/s: nginx ${rounds(ns)}; ESB ${rounds(es)}`);
  return [medianRun(ns), medianRun(es)];
}

async function main() {
  const deps = await startPaasDeps();
  const dir = await tempDir('bench-esb');
  const stops: (() => Promise<unknown>)[] = [
    () => deps.stop(),
    () => rm(dir, { recursive: true, force: true }),
  ];
  try {
    const nginxEcho = await startNginx(
      (
        port,
      ) => `server { listen 127.0.0.1:${port}; access_log off; location / { default_type application/json;
        return 200 '{"result":true,"code":0,"message":"","data":{"uri":"$request_uri"}}'; } }`,
    );
    stops.unshift(() => nginxEcho.stop());
    const nodeEcho = await startNodeEcho();
    stops.unshift(() => nodeEcho.stop());
    const login = buildLoginApp({
      config: deps.config,
      db: deps.db,
      redis: openRedis(deps.config.redis),
      log: false,
    });
    await login.app.listen({ host: '127.0.0.1', port: 0 });
    stops.unshift(() => login.app.close().then(() => login.ctx.redis.close()));
    const loginUrl = `http://127.0.0.1:${(login.app.server.address() as AddressInfo).port}`;

    await createAdmin(deps.db, 'admin', 'Blueking123');
    const secret = randomUUID();
    await exec(
      deps.db,
      "INSERT INTO paas_app (name, code, introduction, creater, auth_token) VALUES ('Bench', 'bench', '', 'admin', ?)",
      [secret],
    );
    await syncEsb(deps.db);
    const bkToken = (await login.ctx.tokens.issue('admin')).token;
    const base = testConfig(deps.mariadb, deps.redis, {
      secrets: deps.config.secrets,
      urls: { login: loginUrl },
      logDir: join(dir, 'logs'),
    });
    await build({
      entryPoints: [ESB_ENTRY],
      outfile: join(dir, 'esb.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'warning',
      banner: {
        js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);",
      },
    });
    const q = new URLSearchParams({
      bk_app_code: 'bench',
      bk_app_secret: secret,
      bk_token: bkToken,
      bk_supplier_account: '0',
      bk_host_id: '1',
    });
    console.log(`wrk -t1 -c${CONNS} -d${SECONDS}s, ${ROUNDS} alternating rounds per mode, medians reported`);
    const rows: Row[] = [];
    for (const backend of BACKENDS)
      for (const workers of WORKERS) {
        const echoPort = backend === 'nginx' ? nginxEcho.port : nodeEcho.port;
        const before = load();
        const esb = await startEsb(dir, base, echoPort, workers);
        const proxy = await startProxy(dir, echoPort, workers);
        console.log(`${backend} echo back end, ${workers} worker(s):`);
        try {
          const [n, e] = await measure(
            `http://127.0.0.1:${proxy.port}/api/v3/hosts/0/1?${q}`,
            `http://127.0.0.1:${esb.port}/c/compapi/v2/cc/get_host_base_info/?${q}`,
            proxy,
            esb,
          );
          rows.push({ backend, workers, nginx: n, esb: e, load: `${before} → ${load()}` });
        } finally {
          await Promise.all([esb.stop(), proxy.stop()]);
        }
      }
    const f = (x: number, d = 0) => x.toFixed(d);
    console.log(
      `\n${table(
        [
          'echo back end',
          'workers',
          'nginx req/s',
          'nginx p99 ms',
          'nginx CPU µs/call',
          'ESB req/s',
          'ESB p99 ms',
          'ESB CPU µs/call',
          'ratio ESB/nginx',
          'goal ≥ 0.50',
          'errors',
          'load avg (1 5 15 min)',
        ],
        rows.map((r) => [
          r.backend === 'nginx' ? 'nginx (1 worker)' : 'Node (1 process)',
          r.workers,
          f(r.nginx.rps),
          f(r.nginx.p99, 2),
          f(r.nginx.cpuUs),
          f(r.esb.rps),
          f(r.esb.p99, 2),
          f(r.esb.cpuUs),
          f(r.esb.rps / r.nginx.rps, 2),
          r.esb.rps / r.nginx.rps >= 0.5 ? 'met' : 'not met',
          r.nginx.errors + r.esb.errors,
          r.load,
        ]),
      )}`,
    );
  } finally {
    for (const s of stops) await s().catch(() => {});
  }
}

main().catch((e) => {
  console.error(`bench failed: ${(e as Error).message}`);
  process.exit(1);
});
