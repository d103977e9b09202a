// The whole platform on 3 testbed hosts (h1 nginx,mysql,redis,license,paas · h2 appt · h3 appo, each
// with consul) through the real CLI, then Chromium drives the developer center: a sample Node.js
// app in a bare git repository (git daemon on the controller) is deployed to test, answers at
// http://PAAS_FQDN/t/<code>/ through the front nginx, then to production at /o/<code>/, and offline
// makes both answer 404. Needs root and tools/testbed (skipped otherwise).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { front as frontDoor } from '../../../test/e2e/support/http';
import { bareRepo, sampleApp } from '../../../test/support/agent/host';
import { launchBrowser } from '../../../test/support/browser';
import { buildPackage } from '../../../test/support/engine';
import { freePort, waitFor } from '../../../test/support/ports';
import { startDaemon } from '../../../test/support/process';
import { Testbed } from '../../../tools/testbed/lib';
import { loadControlDir } from '../../config';
import type { EngineEvent } from '../../engine/events';

const root = process.getuid?.() === 0;
const tb = new Testbed(62);
const LAYOUT = '1=nginx,mysql,redis,license,paas,consul 2=appt,consul 3=appo,consul';
const CODE = 'sample-app';
let dir: string;
let git: ReturnType<typeof startDaemon>;
let gitUrl: string;
let fqdn: string;
let adminPass: string;
let httpPort: number;

/**
 * `bkcec -C ctrl --pkg pkg --json ARGS` from the TypeScript sources (bin/bkcec.mjs would take the
 * dist/cli bundle when fresh, whose modules look for their templates beside the bundle).
 */
function bkcec(...args: string[]) {
  const code =
    "const m = await import('./src/cli/main.ts'); process.exitCode = await m.main(process.argv.slice(1));";
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      code,
      '--',
      '-C',
      join(dir, 'ctrl'),
      '--pkg',
      join(dir, 'pkg'),
      '--json',
      ...args,
    ],
    {
      cwd: join(import.meta.dirname, '..', '..', '..'),
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      timeout: 1_500_000,
    },
  );
  const events = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as EngineEvent);
  return { code: r.status, events, stderr: r.stderr };
}

/** GET http://PAAS_FQDN<path> through the front nginx (h1) with the Host header a browser would send. */
async function front(path: string): Promise<{ status: number; text: string }> {
  const r = await frontDoor(tb.hostIp(1), httpPort, fqdn, path);
  return { status: r.status, text: r.body };
}

beforeAll(async () => {
  if (!root) return;
  await tb.up(3);
  dir = mkdtempSync(join(tmpdir(), 'bkcec-apps-'));
  await tb.ctrl(join(dir, 'ctrl'), LAYOUT);
  await buildPackage(join(dir, 'pkg'));
  const cfg = await loadControlDir(join(dir, 'ctrl'));
  fqdn = String(cfg.globals.get('PAAS_FQDN') ?? '');
  adminPass = String(cfg.globals.get('PAAS_ADMIN_PASS') ?? '');
  httpPort = Number(cfg.ports.get('PAAS_HTTP_PORT'));
  await bareRepo(join(dir, 'repos'), CODE, sampleApp());
  const port = await freePort();
  const repos = join(dir, 'repos');
  git = startDaemon(
    'git',
    [
      'daemon',
      '--export-all',
      '--reuseaddr',
      `--listen=${tb.controllerIp}`,
      `--port=${port}`,
      `--base-path=${repos}`,
      repos,
    ],
    join(dir, 'git.log'),
  );
  gitUrl = `git://${tb.controllerIp}:${port}/${CODE}.git`;
  await waitFor(
    'git daemon',
    async () => (await tb.ssh(2, `git ls-remote ${gitUrl} >/dev/null`)).code === 0,
    20_000,
  );
}, 600_000);
afterAll(async () => {
  if (!root) return;
  await git?.stop();
  if (process.env.BKCEC_KEEP_TESTBED) return console.log(`testbed 62 and ${dir} kept for inspection`);
  await tb.down();
  rmSync(dir, { recursive: true, force: true });
}, 300_000);

describe.skipIf(!root)('apps on appt and appo testbed hosts', () => {
  it('deploys the platform with appt and appo; both servers are registered and active', () => {
    const r = bkcec('deploy');
    const fail = r.events.filter((e) => e.type === 'failure');
    expect(r.code, `${JSON.stringify(fail, null, 1)}\n${r.stderr}`).toBe(0);
    const enrolled = r.events.flatMap((e) =>
      e.type === 'status' && /registered \(server \d+\) and active/.test(e.text) ? [e.text] : [],
    );
    expect(enrolled.map((l) => l.replace(/server \d+/, 'server N')).sort()).toEqual([
      `${tb.hostIp(2)} registered (server N) and active for test`,
      `${tb.hostIp(3)} registered (server N) and active for prod`,
    ]);
  }, 1_200_000);

  it('deploys the app to test, then production, then offline, from the developer center', async () => {
    const b = await launchBrowser([`--host-resolver-rules=MAP ${fqdn} ${tb.hostIp(1)}`]);
    const { page } = b;
    page.on('dialog', (d) => void d.accept());
    /** Click a deploy button and wait until the page shows the finished record. */
    const press = async (button: string, shot: string) => {
      const before = page.url();
      await page.click(button);
      await page.waitForURL((u) => u.href !== before && u.search.includes('record='));
      // the page polls the log and reloads once the deploy ended; then the log has no source left
      await page.locator('#release-log[data-src=""]').waitFor({ state: 'attached', timeout: 240_000 });
      await b.screenshot(shot);
      return page.getAttribute('#release-status', 'data-status');
    };
    try {
      await page.goto(`http://${fqdn}/`);
      await page.fill('#username', 'admin');
      await page.fill('#password', adminPass);
      await page.click('main button[type=submit]');
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      await page.goto(`http://${fqdn}/engine/server/`);
      expect(await page.locator('#servers .tag', { hasText: /^active$/ }).count()).toBe(2);
      await b.screenshot('apps-1-servers');
      await page.goto(`http://${fqdn}/app/`);
      await page.fill('#code', CODE);
      await page.fill('#name', 'Sample app');
      await page.fill('#vcs_url', gitUrl);
      await page.click('main button[type=submit]');
      await page.waitForURL(`**/app/${CODE}/info/**`);
      await page.goto(`http://${fqdn}/app/${CODE}/env/`);
      await page.fill('#name', 'GREETING');
      await page.fill('#value', 'hello from the testbed');
      await page.click('form[action$="/env/"] button[type=submit]');
      await page.goto(`http://${fqdn}/release/${CODE}/`);
      await b.screenshot('apps-2-release-page');

      expect(
        await press('#btn-test', 'apps-3-deployed-to-test'),
        (await page.textContent('#release-log')) ?? '',
      ).toBe('1');
      expect(await page.textContent('#app-state')).toBe('testing');
      const t = await front(`/t/${CODE}/`);
      expect(t.status, t.text).toBe(200);
      expect(JSON.parse(t.text)).toMatchObject({
        APP_ID: CODE,
        BK_PAAS_HOST: `http://${fqdn}`,
        BK_ENV: 'testing',
        BKAPP_GREETING: 'hello from the testbed',
      });

      expect(
        await press('#btn-online', 'apps-4-released-to-production'),
        (await page.textContent('#release-log')) ?? '',
      ).toBe('1');
      expect(await page.textContent('#app-state')).toBe('online');
      const o = await front(`/o/${CODE}/`);
      expect(o.status, o.text).toBe(200);
      expect(JSON.parse(o.text)).toMatchObject({
        APP_ID: CODE,
        BK_PAAS_HOST: `http://${fqdn}`,
        BK_ENV: 'production',
      });
      await page.goto(`http://${fqdn}/o/${CODE}/`);
      await b.screenshot('apps-5-app-through-front-door');

      await page.goto(`http://${fqdn}/release/${CODE}/`);
      await page.selectOption('#mode', 'all');
      expect(
        await press('#btn-offline', 'apps-6-offline'),
        (await page.textContent('#release-log')) ?? '',
      ).toBe('1');
      expect(await page.textContent('#app-state')).toBe('offline');
      expect((await front(`/t/${CODE}/`)).status).toBe(404);
      expect((await front(`/o/${CODE}/`)).status).toBe(404);
      expect(await page.locator('#release-history tbody tr').count()).toBe(3);
    } finally {
      await b.close();
    }
  }, 900_000);
});
