// The platform on 4 testbed hosts from nothing: h1 nginx,consul · h2 mysql,consul,license ·
// h3 redis,paas,consul · h4 paas. The first deploy's controller is SIGKILLed in the middle of paas
// initdata; the next deploy resumes and nothing is duplicated. Then a real browser signs in, creates
// an app and reads its secret; the ESB answers with that app and with a whitelisted platform app; a
// third deploy changes nothing; and with one paas host killed the front door keeps serving.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadControlDir } from '../../src/config';
import type { EngineEvent } from '../../src/engine/events';
import { appTokenPath, PLATFORM_APP_CODES, parseAppTokens } from '../../src/modules/paas/tokens';
import { launchBrowser } from '../support/browser';
import { buildPackage } from '../support/engine';
import { changedSteps, failureText, parseEvents, runEnd } from '../support/events';
import { front } from './support/http';
import { hostIp, onHost, REPO, testbed } from './support/testbed';

const DIR = `/srv/bkcec-e2e-multi-${process.pid}`;
const CTRL = join(DIR, 'ctrl');
const PKG = join(DIR, 'pkg');
const LAYOUT = '1=nginx,consul 2=mysql,consul,license 3=redis,paas,consul 4=paas';
const NGINX = hostIp(1);
const CLI = join(REPO, 'test', 'e2e', 'support', 'cli.ts');

/** Runs bkcec with --json; `until` may SIGKILL it on an event. Resolves with the events and the exit. */
function bkcec(args: string[], until?: (e: EngineEvent) => boolean) {
  return new Promise<{ events: EngineEvent[]; code: number | null; killed: boolean; stderr: string }>(
    (resolve) => {
      const child: ChildProcess = spawn(
        process.execPath,
        ['--import', 'tsx', CLI, '-C', CTRL, '--pkg', PKG, '--json', ...args],
        {
          cwd: REPO,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      const events: EngineEvent[] = [];
      let buf = '';
      let stderr = '';
      let killed = false;
      child.stdout!.setEncoding('utf8').on('data', (c: string) => {
        buf += c;
        const lines = buf.split('\n');
        buf = lines.pop()!;
        for (const e of parseEvents(lines.join('\n'))) {
          events.push(e);
          if (!killed && until?.(e)) {
            killed = true;
            child.kill('SIGKILL');
          }
        }
      });
      child.stderr!.setEncoding('utf8').on('data', (c: string) => {
        stderr += c;
      });
      child.on('exit', (code) => resolve({ events: [...events, ...parseEvents(buf)], code, killed, stderr }));
    },
  );
}

const sql = async (q: string) => (await onHost(2, `mysql -N -B -e ${JSON.stringify(q)}`)).trim();

describe('four testbed hosts from nothing', () => {
  let fqdn: string;
  let port: number;
  let adminPass: string;
  let token: string;
  let secret: string;
  const appCode = `e2e${process.pid % 10000}`;

  beforeAll(async () => {
    await rm(DIR, { recursive: true, force: true });
    await testbed('down');
    await testbed('up', '4');
    await testbed('ctrl', CTRL, LAYOUT);
    await buildPackage(PKG);
    const cfg = await loadControlDir(CTRL);
    const g = (k: string) => String(cfg.globals.get(k) ?? '');
    fqdn = g('PAAS_FQDN');
    adminPass = g('PAAS_ADMIN_PASS');
    port = Number(cfg.ports.get('PAAS_HTTP_PORT'));
  }, 600_000);
  afterAll(async () => {
    await testbed('down').catch(() => undefined);
    await rm(DIR, { recursive: true, force: true });
  }, 120_000);

  it('deploys; a controller killed during paas initdata resumes and duplicates nothing', async () => {
    const first = await bkcec(
      ['deploy'],
      (e) => e.type === 'step' && e.module === 'paas' && e.command === 'initdata' && e.step === 'admin',
    );
    expect(first.killed, `${failureText(first.events)}\n${first.stderr}`).toBe(true);
    const second = await bkcec(['deploy']);
    expect(failureText(second.events) + second.stderr).toBe('');
    expect(second.code).toBe(0);
    const skipped = second.events.filter(
      (e) => e.type === 'step' && e.outcome === 'skipped' && e.module === 'consul',
    );
    expect(skipped.length).toBeGreaterThan(0);
    const ran = second.events.filter(
      (e) => e.type === 'step' && e.module === 'paas' && e.command === 'initdata',
    );
    expect(ran.length).toBeGreaterThan(0);
    expect(await sql("SELECT COUNT(*) FROM open_paas.bkaccount_bkuser WHERE username = 'admin'")).toBe('1');
    expect(await sql('SELECT COUNT(*) FROM open_paas.esb_app_account')).toBe(
      String(PLATFORM_APP_CODES.length),
    );
  }, 900_000);

  it('shows the license valid from the controller, and license.service.consul:8443 answers on another host', async () => {
    const status = await bkcec(['status', 'license']);
    expect(status.code, failureText(status.events)).toBe(0);
    const lines = status.events.flatMap((e) => (e.type === 'status' ? [e.text] : []));
    expect(lines.join('\n')).toMatch(/certificate valid until \d{4}-\d{2}-\d{2} \(\d+ day\(s\) left\)/);
    // From h1 (not the license host): the consul name resolves to h2 and a TLS server answers there.
    expect((await onHost(1, 'getent ahostsv4 license.service.consul | head -1')).split(/\s+/)[0]).toBe(
      hostIp(2),
    );
    const tls = await onHost(
      1,
      'timeout 10 openssl s_client -connect license.service.consul:8443 </dev/null 2>&1 || true',
    );
    expect(tls).toMatch(/subject=.*CN ?= ?license/i);
  }, 120_000);

  it('signs in as admin in Chromium, creates an app and reads its secret', async () => {
    const b = await launchBrowser([`--host-resolver-rules=MAP ${fqdn} ${NGINX}`]);
    try {
      const { page } = b;
      await page.goto(`http://${fqdn}/`);
      await page.fill('#username', 'admin');
      await page.fill('#password', adminPass);
      await page.click('main button[type=submit]');
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      await page.goto(`http://${fqdn}/app/`);
      await page.fill('#code', appCode);
      await page.fill('#name', `E2E ${appCode}`);
      await page.click('main button[type=submit]');
      await page.waitForURL(`**/app/${appCode}/info/**`);
      await page.click('[data-reveal=app-secret]');
      // Polled from the test, not evaluated in the page: the platform's CSP forbids eval.
      await expect
        .poll(async () => (await page.textContent('#app-secret'))?.trim(), { timeout: 15_000 })
        .toMatch(/^[0-9a-f-]{36}$/);
      secret = (await page.textContent('#app-secret'))!.trim();
      await b.screenshot('e2e-multi-app-secret');
      expect(secret).toMatch(/^[0-9a-f-]{36}$/);
      const cookies = await b.context.cookies(`http://${fqdn}/`);
      token = cookies.find((c) => c.name === 'bk_token')!.value;
      expect(token.length).toBeGreaterThan(10);
      await page.goto(`http://${fqdn}/esb/api_docs/system/BK_LOGIN/`);
      const docs = await page.textContent('body');
      await b.screenshot('e2e-multi-api-docs');
      for (const api of ['get_user', 'get_all_users']) expect(docs).toContain(api);
    } finally {
      await b.close();
    }
  }, 180_000);

  it('ESB answers get_user for that app with bk_token, and for a whitelisted platform app with bk_username', async () => {
    const path = '/api/c/compapi/v2/bk_login/get_user/';
    const mine = await front(NGINX, port, fqdn, path, {
      json: { bk_app_code: appCode, bk_app_secret: secret, bk_token: token },
    });
    expect(mine.status, mine.body).toBe(200);
    expect(JSON.parse(mine.body)).toMatchObject({ result: true, data: { bk_username: 'admin' } });
    const tokens = parseAppTokens(await readFile(appTokenPath(CTRL), 'utf8'), '.app.token');
    const platform = await front(NGINX, port, fqdn, path, {
      json: { bk_app_code: 'bk_monitor', bk_app_secret: tokens.get('bk_monitor'), bk_username: 'admin' },
    });
    expect(JSON.parse(platform.body), platform.body).toMatchObject({
      result: true,
      data: { bk_username: 'admin' },
    });
    const refused = await front(NGINX, port, fqdn, path, {
      json: { bk_app_code: appCode, bk_app_secret: secret, bk_username: 'admin' },
    });
    expect(JSON.parse(refused.body).result).toBe(false);
  }, 60_000);

  it('changes nothing on another deploy', async () => {
    const r = await bkcec(['deploy']);
    expect(failureText(r.events) + r.stderr).toBe('');
    expect(runEnd(r.events)?.ok).toBe(true);
    expect(changedSteps(r.events)).toEqual([]);
  }, 300_000);

  it('keeps serving login and ESB with one paas host killed', async () => {
    await testbed('kill', '4');
    const path = '/api/c/compapi/v2/bk_login/get_user/';
    for (let i = 0; i < 8; i++) {
      const login = await front(NGINX, port, fqdn, '/login/');
      expect(login.status).toBe(200);
      const esb = await front(NGINX, port, fqdn, path, {
        json: { bk_app_code: appCode, bk_app_secret: secret, bk_token: token },
      });
      expect(JSON.parse(esb.body)).toMatchObject({ result: true });
    }
    const status = await bkcec(['status', 'paas']);
    const lines = status.events.flatMap((e) => (e.type === 'status' ? [`${e.host} ${e.text}`] : []));
    expect(lines.filter((l) => l.startsWith(hostIp(3)) && l.includes(' RUNNING '))).toHaveLength(4);
    expect(status.code).toBe(1);
  }, 120_000);
});
