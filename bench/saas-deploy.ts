// Benchmark: an S-mart package of the sample Django app (platform/agent/samples/django), from its
// upload to appengine until the app answers at /t/<code>/ through the agent's nginx: with pip
// reaching PyPI, fully offline from the package's pkgs/ wheels, and a redeploy of the same package
// (virtualenv reused). Real MariaDB, appengine, agent, supervisord, nginx, Debian's python3.
// Baseline: the legacy agent's build limit, EXECUTE_TIME_LIMIT = 300 s (reference §5.2).
// Run: flock /tmp/bkcec-heavy.lock npx tsx bench/saas-deploy.ts
import { readdir, readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { buildAppengineApp } from '../platform/paas/appengine/app';
import { startEnrolledAgentHost } from '../test/support/agent/host';
import { sampleFiles, tarball, wheels } from '../test/support/agent/samples';
import { startPaasDeps } from '../test/support/paas';
import { tempDir } from '../test/support/ports';
import { secs, table } from './lib/timing';

const LEGACY_LIMIT_S = 300;
const REQS = ['Django==4.2.17', 'PyMySQL==1.1.1', 'gunicorn==23.0.0'];

async function main(): Promise<void> {
  const deps = await startPaasDeps();
  const engine: FastifyInstance = buildAppengineApp({ config: deps.config, db: deps.db, log: false });
  const base = await engine.listen({ host: '127.0.0.1', port: 0 });
  const admin = { 'x-app-code': 'bk_paas', 'x-app-token': deps.config.secrets.ESB_TOKEN };
  const agent = await startEnrolledAgentHost('test', base, admin['x-app-token'], {
    jobTimeoutSec: 600,
    healthTimeoutSec: 60,
  });
  const work = await tempDir('bench-saas');
  try {
    const src = await sampleFiles('django');
    const wheelDir = await wheels(REQS);
    const pkgs: Record<string, Buffer> = {};
    for (const f of await readdir(wheelDir))
      if (f.endsWith('.whl')) pkgs[`pkgs/${f}`] = await readFile(`${wheelDir}/${f}`);

    /** Upload, deploy to test, wait until /t/<code>/ answers 200; returns ms. */
    const run = async (code: string, files: Record<string, string | Buffer>) => {
      const tgz = await tarball(work, code, {
        'app.yml': `app_code: ${code}\napp_name: Bench ${code.slice(-6)}\nversion: 1.0.0\nlanguage: python\n`,
        ...Object.fromEntries(Object.entries(src).map(([k, v]) => [`src/${k}`, v])),
        ...files,
      });
      const t0 = performance.now();
      const up = await fetch(`${base}/v1/saas/packages/`, {
        method: 'POST',
        headers: { ...admin, 'content-type': 'application/gzip' },
        body: tgz,
      });
      const stored = (await up.json()) as {
        message: string;
        data: { package_id: number; app: { token: string } };
      };
      if (!up.ok) throw new Error(`upload refused: ${stored.message}`);
      const token = stored.data.app.token;
      const r = await fetch(`${base}/v1/apps/${code}/test/releases/`, {
        method: 'POST',
        headers: { 'x-app-code': code, 'x-app-token': token, 'content-type': 'application/json' },
        body: JSON.stringify({
          envs: { APP_ID: code, APP_TOKEN: token, BK_PAAS_HOST: 'http://paas.bking.com' },
          is_saas: true,
          saas_settings: { package_id: stored.data.package_id },
        }),
      });
      const ev = ((await r.json()) as { data: { event_id: string } }).data.event_id;
      for (;;) {
        const log = (await (
          await fetch(`${base}/v1/apps/${code}/events/${ev}/logs/`, {
            headers: { 'x-app-code': code, 'x-app-token': token },
          })
        ).json()) as { data: { status: string; logs: string } };
        if (log.data.status === 'FAILURE') throw new Error(`deploy of ${code} failed:\n${log.data.logs}`);
        // done when this deploy's event succeeded and the app answers (a redeploy's old version
        // answering does not count)
        if (log.data.status === 'SUCCESS') {
          const page = await fetch(`http://127.0.0.1:${agent.webPort}/t/${code}/`).catch(() => undefined);
          if (page?.status === 200) return performance.now() - t0;
        }
        if (performance.now() - t0 > 600_000) throw new Error(`${code} not answering after 600 s`);
        await new Promise((res) => setTimeout(res, 100));
      }
    };
    const online = await run('benchpypi', {});
    const redeploy = await run('benchpypi', {});
    const offline = await run('benchoffline', pkgs);
    const row = (what: string, ms: number) => [
      what,
      secs(ms),
      `${((ms / 1000 / LEGACY_LIMIT_S) * 100).toFixed(1)} %`,
    ];
    console.log('S-mart deploy of the sample Django app, upload → answering at /t/<code>/ (one run each)');
    console.log(
      table(
        ['deploy', 'seconds', 'share of the legacy 300 s build limit'],
        [
          row('pip from PyPI (fresh virtualenv)', online),
          row('same package again (virtualenv reused)', redeploy),
          row('offline from pkgs/ (fresh virtualenv)', offline),
        ],
      ),
    );
  } finally {
    await agent.stop();
    await engine.close();
    await deps.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
