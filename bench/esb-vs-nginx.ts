// Benchmark: an authenticated ESB call (bk_app_code + bk_app_secret + bk_token, declarative
// component CC.get_host_base_info) forwarded to a local echo back end, against nginx proxying
// the same request to the same back end. Same machine, same run, measured with wrk.
// Processes: MariaDB + Redis (test support), login (in this process; ESB caches bk_token
// answers), the echo back end (nginx, 1 worker), the ESB bundle with N worker processes and an
// nginx proxy with N workers (upstream keep-alive); N = --workers (default 1).
// Rounds alternate nginx and ESB so other load on the machine hits both alike.
// Run: npx tsx bench/esb-vs-nginx.ts [--workers 1] [--seconds 8] [--connections 64] [--rounds 3]
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { exec } from '../platform/paas/common/db/pool';
import { openRedis } from '../platform/paas/common/redis/redis';
import { syncEsb } from '../platform/paas/esb/sync/sync';
import { buildLoginApp } from '../platform/paas/login/app';
import { createAdmin } from '../platform/paas/login/users/admin';
import { startNginx } from '../test/support/nginx';
import { startPaasDeps, testConfig } from '../test/support/paas';
import { freePort, tempDir, waitFor } from '../test/support/ports';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const SECONDS = arg('seconds', 8);
const CONNS = arg('connections', 64);
const ROUNDS = arg('rounds', 3);
const WORKERS = arg('workers', 1);

interface Run {
  rps: number;
  p99: number;
  errors: number;
  requests: number;
  cpuUs: number;
}

/** Requests/s, p99 (ms), errors and request count from wrk's `--latency` output. */
function parseWrk(out: string): Omit<Run, 'cpuUs'> {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const m = /\s99%\s+([\d.]+)(us|ms|s)\b/.exec(out);
  if (!rps || !m) throw new Error(`could not read wrk output:\n${out}`);
  const p99 = Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2] as 'us' | 'ms' | 's'];
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  return {
    rps,
    p99,
    requests,
    errors: non2xx + (sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0),
  };
}

/** CPU time (user + system, ms) used so far by `pid` and its children processes, from /proc. */
async function cpuMs(pid: number): Promise<number> {
  const stat = async (p: number) => {
    const f = (await readFile(`/proc/${p}/stat`, 'utf8')).split(') ')[1]!.split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, USER_HZ 100
  };
  const kids = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => ''))
    .split(' ')
    .filter(Boolean)
    .map(Number);
  const all = await Promise.all([pid, ...kids].map(stat));
  return all.reduce((a, b) => a + b, 0);
}

/** wrk against `url`, with the CPU per request used by process tree `pid`. */
async function wrk(url: string, seconds: number, pid: number): Promise<Run> {
  const before = await cpuMs(pid);
  const { stdout } = await promisify(execFile)(
    'wrk',
    ['-t1', `-c${CONNS}`, `-d${seconds}s`, '--latency', url],
    { timeout: (seconds + 30) * 1000 },
  );
  const r = parseWrk(stdout);
  return { ...r, cpuUs: (((await cpuMs(pid)) - before) * 1000) / r.requests };
}

/** An nginx proxy to the echo back end with `workers` worker processes. */
async function startProxy(dir: string, echoPort: number, workers: number) {
  const port = await freePort();
  const d = join(dir, 'proxy');
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
  return {
    port,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

async function main() {
  const deps = await startPaasDeps();
  const dir = await tempDir('bench-esb');
  const stops: (() => Promise<unknown>)[] = [
    () => deps.stop(),
    () => rm(dir, { recursive: true, force: true }),
  ];
  try {
    // Echo back end: nginx answers the request URI inside an ESB-style JSON envelope.
    const echo = await startNginx(
      (
        port,
      ) => `server { listen 127.0.0.1:${port}; access_log off; location / { default_type application/json;
        return 200 '{"result":true,"code":0,"message":"","data":{"uri":"$request_uri"}}'; } }`,
    );
    stops.unshift(() => echo.stop());
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

    const esbPort = await freePort();
    const config = {
      ...testConfig(deps.mariadb, deps.redis, {
        secrets: deps.config.secrets,
        urls: { login: loginUrl },
        logDir: join(dir, 'logs'),
      }),
      listen: { host: '127.0.0.1', ports: { appengine: 8000, paas: 8001, esb: esbPort, login: 8003 } },
      esb: { systems: { CC: { host: `http://127.0.0.1:${echo.port}` } }, cacheSec: 5, workers: WORKERS },
    };
    await writeFile(join(dir, 'paas.json'), JSON.stringify(config), { mode: 0o600 });
    await build({
      entryPoints: ['platform/paas/esb/main.ts'],
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
    const nodeArgs = (process.env.ESB_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const esb = spawn(
      process.execPath,
      [...nodeArgs, join(dir, 'esb.mjs'), '--config', join(dir, 'paas.json')],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    stops.unshift(async () => {
      esb.kill('SIGTERM');
      await new Promise((r) => esb.once('exit', r));
    });
    await waitFor('esb', async () => (await fetch(`http://127.0.0.1:${esbPort}/healthz/`)).ok);
    const proxy = await startProxy(dir, echo.port, WORKERS);
    stops.unshift(() => proxy.stop());

    const q = new URLSearchParams({
      bk_app_code: 'bench',
      bk_app_secret: secret,
      bk_token: bkToken,
      bk_supplier_account: '0',
      bk_host_id: '1',
    });
    const esbUrl = `http://127.0.0.1:${esbPort}/c/compapi/v2/cc/get_host_base_info/?${q}`;
    const nginxUrl = `http://127.0.0.1:${proxy.port}/api/v3/hosts/0/1?${q}`;
    const check = (await (await fetch(esbUrl)).json()) as { result: boolean; data: { uri: string } };
    if (!check.result || !check.data.uri.startsWith('/api/v3/hosts/0/1?'))
      throw new Error(`ESB call failed: ${JSON.stringify(check)}`);

    await wrk(nginxUrl, 2, proxy.pid); // warm-up both paths (JIT, pools)
    await wrk(esbUrl, 3, esb.pid!);
    const ns: Run[] = [];
    const es: Run[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      ns.push(await wrk(nginxUrl, SECONDS, proxy.pid));
      es.push(await wrk(esbUrl, SECONDS, esb.pid!));
    }
    const median = (l: Run[]) => [...l].sort((a, b) => a.rps - b.rps)[Math.floor(l.length / 2)]!;
    const n = median(ns);
    const e = median(es);
    const row = (name: string, r: Run, all: Run[]) =>
      `${name.padEnd(24)} ${r.rps.toFixed(0).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${r.cpuUs.toFixed(0).padStart(8)} ${String(r.errors).padStart(6)}   ${all.map((x) => x.rps.toFixed(0)).join(' ')}`;
    console.log(
      `wrk -t1 -c${CONNS} -d${SECONDS}s, ${ROUNDS} alternating rounds (median shown); echo back end = nginx, 1 worker`,
    );
    console.log(
      `${'path'.padEnd(24)} ${'req/s'.padStart(8)} ${'p99 ms'.padStart(8)} ${'cpu us'.padStart(8)} ${'errors'.padStart(6)}   rounds req/s`,
    );
    console.log(row(`nginx proxy (${WORKERS} worker)`, n, ns));
    console.log(row(`ESB (${WORKERS} process)`, e, es));
    console.log(
      `ratio ESB/nginx: throughput ${(e.rps / n.rps).toFixed(2)} (goal >= 0.50), p99 ${(e.p99 / n.p99).toFixed(2)}, CPU per call ${(e.cpuUs / n.cpuUs).toFixed(2)}`,
    );
  } finally {
    for (const s of stops) await s().catch(() => {});
  }
}

main().catch((e) => {
  console.error(`bench failed: ${(e as Error).message}`);
  process.exit(1);
});
