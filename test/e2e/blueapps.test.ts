// A real BlueKing SaaS on the testbed: the sample Django app on the framework `blueapps-open` 3.5.3
// from PyPI (its bk_token login middleware, ESB through PyPI's bkapi-component-open), packed as an
// S-mart package with its wheels and uploaded in Chromium from the developer center, deployed to
// test (h2 appt) then production (h3 appo). Anonymous visits redirect to our login with c_url; after
// signing in the page shows the user the framework fetched with bk_login.get_user; AJAX without a
// login gets 401. h1 runs nginx,mysql,redis,license,paas. Needs root and tools/testbed.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadControlDir } from '../../src/config';
import { type Browser, launchBrowser } from '../support/browser';
import { buildPackage } from '../support/engine';
import { failureText } from '../support/events';
import { bkcec } from './support/bkcec';
import { front } from './support/http';
import { smartPackage } from './support/smart';
import { hostIp, onHost, testbed } from './support/testbed';

const root = process.getuid?.() === 0;
const LAYOUT = '1=nginx,mysql,redis,license,paas,consul 2=appt,consul 3=appo,consul';
const CODE = 'bk_demo';
const APP_YML = `app_code: ${CODE}
app_name: blueapps demo
version: 1.0.0
language: python
is_use_celery: false
author: bkcec
introduction: the BlueKing framework on the platform
`;
let dir: string;
let fqdn: string;
let adminPass: string;
let httpPort: number;
let pkgFile: string;
let b: Browser;

beforeAll(async () => {
  if (!root) return;
  dir = await mkdtemp(join(tmpdir(), 'bkcec-blueapps-'));
  await testbed('down');
  await testbed('up', '3');
  await testbed('ctrl', join(dir, 'ctrl'), LAYOUT);
  await buildPackage(join(dir, 'pkg'));
  const cfg = await loadControlDir(join(dir, 'ctrl'));
  fqdn = String(cfg.globals.get('PAAS_FQDN') ?? '');
  adminPass = String(cfg.globals.get('PAAS_ADMIN_PASS') ?? '');
  httpPort = Number(cfg.ports.get('PAAS_HTTP_PORT'));
  pkgFile = join(dir, `${CODE}.tar.gz`);
  await writeFile(pkgFile, await smartPackage(dir, 'blueapps', CODE, APP_YML));
}, 600_000);
afterAll(async () => {
  if (!root) return;
  await b?.close();
  if (process.env.BKCEC_KEEP_TESTBED) return console.log(`testbed and ${dir} kept for inspection`);
  await testbed('down').catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}, 300_000);

const app = (env: 't' | 'o', path = '') => `http://${fqdn}/${env}/${CODE}/${path}`;
/** Where a redirect sends the browser: our login page, with the app's absolute URL as c_url. */
const loginTarget = (location: string | string[] | undefined) => {
  const u = new URL(String(location));
  return {
    at: `${u.origin}${u.pathname}`,
    c_url: u.searchParams.get('c_url'),
    app_code: u.searchParams.get('app_code'),
  };
};

describe.skipIf(!root)('a blueapps SaaS on appt and appo', () => {
  it('deploys the platform', async () => {
    const r = await bkcec(join(dir, 'ctrl'), join(dir, 'pkg'), ['deploy']);
    expect(r.code, `${failureText(r.events)}\n${r.stderr}`).toBe(0);
  }, 600_000);

  it('uploads the S-mart package in the developer center and deploys it to test, then production', async () => {
    b = await launchBrowser([`--host-resolver-rules=MAP ${fqdn} ${hostIp(1)}`]);
    const { page } = b;
    const press = async (button: string, shot: string) => {
      const before = page.url();
      await page.click(button);
      await page.waitForURL((u) => u.href !== before && u.search.includes('record='));
      await page.locator('#release-log[data-src=""]').waitFor({ state: 'attached', timeout: 240_000 });
      await b.screenshot(shot);
      return {
        status: await page.getAttribute('#release-status', 'data-status'),
        log: await page.textContent('#release-log'),
      };
    };
    await page.goto(`http://${fqdn}/`);
    await page.fill('#username', 'admin');
    await page.fill('#password', adminPass);
    await page.click('main button[type=submit]');
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.goto(`http://${fqdn}/saas/upload/`);
    await page.setInputFiles('#package', pkgFile);
    await page.click('main button[type=submit]');
    await page.waitForURL(`**/release/${CODE}/**`);
    await b.screenshot('blueapps-1-uploaded');

    const test = await press('#btn-test', 'blueapps-2-test');
    expect(test.status, test.log ?? '').toBe('1');
    expect(test.log).toMatch(/offline, from pkgs\//);
    expect(test.log).toMatch(/migrate/);
    const prod = await press('#btn-online', 'blueapps-3-production');
    expect(prod.status, prod.log ?? '').toBe('1');
    expect(await page.textContent('#app-state')).toBe('online');
  }, 600_000);

  it('redirects anonymous pages to our login with c_url; AJAX without login gets 401', async () => {
    for (const env of ['t', 'o'] as const) {
      const r = await front(hostIp(1), httpPort, fqdn, `/${env}/${CODE}/`);
      expect(r.status, r.body).toBe(302);
      expect(loginTarget(r.headers.location)).toEqual({
        at: `http://${fqdn}/login/`,
        c_url: app(env),
        app_code: CODE,
      });
    }
    const anon = await launchBrowser([`--host-resolver-rules=MAP ${fqdn} ${hostIp(1)}`]);
    try {
      await anon.page.goto(app('o'));
      const u = new URL(anon.page.url());
      expect(u.pathname).toBe('/login/');
      expect(u.searchParams.get('c_url')).toBe(app('o'));
      expect(u.searchParams.get('app_code')).toBe(CODE);
      const ajax = await anon.page.evaluate(
        async (url) => {
          const r = await fetch(url, { headers: { 'X-Requested-With': 'XMLHttpRequest' } });
          return { status: r.status, body: await r.text() };
        },
        app('o', 'api/whoami/'),
      );
      expect(ajax.status, ajax.body).toBe(401);
      expect(JSON.parse(ajax.body)).toMatchObject({ has_plain: false });
      // signing in on the page the app sent us to brings us back, signed in to the app
      await anon.page.fill('#username', 'admin');
      await anon.page.fill('#password', adminPass);
      await anon.page.click('main button[type=submit]');
      await anon.page.waitForURL(app('o'));
      expect(await anon.page.textContent('#user')).toBe('admin');
      expect(await anon.page.textContent('#superuser')).toBe('True');
      await anon.screenshot('blueapps-4-signed-in');
      const who = await anon.page.evaluate(
        async (url) => {
          const r = await fetch(url, { headers: { 'X-Requested-With': 'XMLHttpRequest' } });
          return { status: r.status, body: await r.text() };
        },
        app('o', 'api/whoami/'),
      );
      expect(who.status, who.body).toBe(200);
      expect(JSON.parse(who.body)).toMatchObject({ username: 'admin', is_superuser: true });
    } finally {
      await anon.close();
    }
    // the framework's own tables in the app's database: the user it made, superuser from role "1"
    const users = await onHost(
      1,
      `mysql -N -B -e "SELECT username, is_superuser FROM bkapp_${CODE}.account_user ORDER BY username"`,
    );
    expect(users.trim().split('\n')).toContain('admin\t1');
    // the test environment signs the same browser in too (its bk_token is the platform's)
    await b.page.goto(app('t'));
    expect(await b.page.textContent('#user')).toBe('admin');
  }, 120_000);

  it('runs the app as its own user on each host, not root', async () => {
    for (const [h, user] of [
      [2, `bkt-${CODE}`],
      [3, `bko-${CODE}`],
    ] as const) {
      const ps = await onHost(h, `ps -o user:32=,args= -C gunicorn || true`);
      const lines = ps.split('\n').filter((l) => l.includes('gunicorn'));
      expect(lines.length, ps).toBeGreaterThanOrEqual(3);
      for (const l of lines) expect(l.split(/\s+/)[0], l).toBe(user);
    }
  }, 60_000);
});
