// Benchmark: login `GET /accounts/is_login/?bk_token=…` at a fixed 1,000 requests/s for ~10 s.
// Starts MariaDB + Redis (test support), the bundled login program as its own process, and a
// fixed-rate load generator in another process (this file with --load). Latency is measured from
// each request's scheduled start (coordinated omission corrected). Baseline in the same run: the
// same rate against login's static stylesheet route (same server, no DB/Redis). Rounds alternate
// baseline and is_login so other load on the machine hits both alike; medians are reported.
// Run: npx tsx bench/login-is-login.ts [--rate 1000] [--seconds 10] [--rounds 3]
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { openDb } from '../platform/paas/common/db/pool';
import { openRedis } from '../platform/paas/common/redis/redis';
import { TokenStore } from '../platform/paas/login/tokens/tokens';
import { startPaasDeps, testConfig } from '../test/support/paas';
import { freePort, tempDir, waitFor } from '../test/support/ports';
import { median, table } from './lib/timing';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};

/** Load mode: send `rate` GETs per second for `seconds` to the URLs (cycled); print a JSON summary. */
async function load(urls: string[], rate: number, seconds: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const total = rate * seconds;
  const corrected: number[] = [];
  let errors = 0;
  let done = 0;
  const t0 = performance.now() + 50;
  await new Promise<void>((resolve) => {
    let sent = 0;
    const fire = (i: number) => {
      const scheduled = t0 + (i * 1000) / rate;
      const u = new URL(urls[i % urls.length]!);
      const req = request({ host: u.hostname, port: u.port, path: u.pathname + u.search, agent }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => {
          if (res.statusCode !== 200 || (body.startsWith('{') && !body.includes('"result":true'))) errors++;
          corrected.push(performance.now() - scheduled);
          if (++done === total) resolve();
        });
      });
      req.on('error', () => {
        errors++;
        if (++done === total) resolve();
      });
      req.end();
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
      while (sent < due) fire(sent++);
      if (sent < total) setTimeout(tick, 1);
    };
    setTimeout(tick, 50);
  });
  agent.destroy();
  corrected.sort((a, b) => a - b);
  const pct = (p: number) =>
    corrected[Math.min(corrected.length - 1, Math.floor((p / 100) * corrected.length))]!;
  const elapsed = (performance.now() - t0) / 1000;
  console.log(
    JSON.stringify({
      n: corrected.length,
      errors,
      rps: Math.round(total / elapsed),
      p50: pct(50),
      p99: pct(99),
      max: corrected.at(-1),
    }),
  );
}

function runLoad(
  urls: string[],
  rate: number,
  seconds: number,
): Promise<{ n: number; errors: number; rps: number; p50: number; p99: number; max: number }> {
  return new Promise((resolve, reject) => {
    const c = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(import.meta.url),
        '--load',
        JSON.stringify(urls),
        '--rate',
        String(rate),
        '--seconds',
        String(seconds),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').at(-1)!))
        : reject(new Error(`load generator exited ${code}`)),
    );
  });
}

async function main(): Promise<void> {
  const rate = arg('rate', 1000);
  const seconds = arg('seconds', 10);
  const deps = await startPaasDeps();
  const dir = await tempDir('bench-login');
  const port = await freePort();
  const cfgFile = join(dir, 'paas.json');
  const config = testConfig(deps.mariadb, deps.redis, {
    listen: { host: '127.0.0.1', ports: { login: port } },
    logDir: join(dir, 'logs'),
  });
  await writeFile(cfgFile, JSON.stringify(config), { mode: 0o600 });
  const bundle = join(dir, 'login.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('../platform/paas/login/main.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: bundle,
    logLevel: 'silent',
    banner: { js: "import{createRequire}from'module';const require=createRequire(import.meta.url);" },
  });
  const login = spawn(process.execPath, [bundle, '--config', cfgFile], { stdio: 'ignore' });
  const db = openDb(config.db);
  const redis = openRedis(config.redis);
  try {
    const origin = `http://127.0.0.1:${port}`;
    await waitFor('login', async () => (await fetch(`${origin}/healthz/`)).status === 200, 15_000);
    const store = new TokenStore(db, redis);
    const tokens = await Promise.all(Array.from({ length: 100 }, (_, i) => store.issue(`user${i}`)));
    const urls = tokens.map((t) => `${origin}/accounts/is_login/?bk_token=${t.token}`);
    await runLoad(urls, rate, 2); // warm-up
    const rounds = arg('rounds', 3);
    const load = () =>
      loadavg()
        .map((x) => x.toFixed(1))
        .join(' ');
    const before = load();
    const base: Awaited<ReturnType<typeof runLoad>>[] = [];
    const isLogin: Awaited<ReturnType<typeof runLoad>>[] = [];
    for (let i = 0; i < rounds; i++) {
      base.push(await runLoad([`${origin}/static/bkcec.css`], rate, seconds));
      isLogin.push(await runLoad(urls, rate, seconds));
    }
    const f = (x: number) => x.toFixed(2);
    const row = (name: string, runs: typeof base) => [
      name,
      runs.reduce((a, r) => a + r.n, 0),
      runs.reduce((a, r) => a + r.errors, 0),
      f(median(runs.map((r) => r.p50))),
      f(median(runs.map((r) => r.p99))),
      runs.map((r) => f(r.p99)).join(' '),
      f(Math.max(...runs.map((r) => r.max))),
    ];
    const p99 = median(isLogin.map((r) => r.p99));
    console.log(
      `rate ${rate}/s, ${rounds} alternating rounds of ${seconds} s, 100 distinct tokens, Redis cache warm; load average ${before} → ${load()}`,
    );
    console.log(
      table(
        ['route', 'requests', 'errors', 'p50 ms (median)', 'p99 ms (median)', 'p99 ms per round', 'max ms'],
        [row('baseline: static stylesheet', base), row('is_login', isLogin)],
      ),
    );
    console.log(
      `p99 ratio is_login/baseline: ${(p99 / median(base.map((r) => r.p99))).toFixed(2)}; target p99 <= 5 ms: ${p99 <= 5 ? 'met' : 'NOT met'}`,
    );
  } finally {
    login.kill('SIGTERM');
    await redis.close();
    await db.end();
    await deps.stop();
  }
}

if (process.argv.includes('--load')) {
  const i = process.argv.indexOf('--load');
  load(JSON.parse(process.argv[i + 1]!) as string[], arg('rate', 1000), arg('seconds', 10)).then(() =>
    process.exit(0),
  );
} else {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
