// The developer center's S-mart upload: administrators only, a refused package shown with its
// reason and nothing created, a good one creating the app from app.yml and deployed from the
// deploy page to test and then production (real login, paas, appengine, agents, python3, pip).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentHost, startEnrolledAgentHost } from '../../../../test/support/agent/host';
import { sampleFiles } from '../../../../test/support/agent/samples';
import { Client } from '../../../../test/support/http';
import { type PaasDeps, startPaasDeps } from '../../../../test/support/paas';
import { type Platform, startPlatform } from '../../../../test/support/platform';
import { appYml, smart, tarGz } from '../../appengine/saas/testing';
import { one, rows } from '../../common/db/pool';
import { hashPassword } from '../../login/passwords/passwords';
import { createUser } from '../../login/users/store';

let deps: PaasDeps;
let p: Platform;
const hosts: AgentHost[] = [];

beforeAll(async () => {
  deps = await startPaasDeps();
  p = await startPlatform(deps, { loginCacheMs: 0 });
  await createUser(deps.db, {
    username: 'dev1',
    passwordHash: await hashPassword('Devpass123'),
    chname: 'dev1',
    phone: '',
    email: '',
    role: 2,
  });
  for (const mode of ['test', 'prod'] as const) {
    hosts.push(
      await startEnrolledAgentHost(mode, p.appengine, deps.config.secrets.ESB_TOKEN, { jobTimeoutSec: 240 }),
    );
  }
}, 60_000);
afterAll(async () => {
  for (const h of hosts) await h.stop();
  await p?.stop();
  await deps?.stop();
});

async function as(user: string, pw: string): Promise<Client> {
  const l = new Client(p.login);
  expect((await l.signIn(user, pw)).status).toBe(302);
  const c = new Client(p.paas);
  c.jar.set('bk_token', l.jar.get('bk_token')!);
  return c;
}

/** POST the package as the browser's multipart form would, with the form page's CSRF token. */
async function upload(c: Client, pkg: Buffer) {
  const page = await c.req('/saas/upload/');
  expect(page.status).toBe(200);
  const fd = new FormData();
  fd.set('csrfmiddlewaretoken', Client.csrf(page.text));
  fd.set('package', new Blob([pkg], { type: 'application/gzip' }), 'pkg.tar.gz');
  const r = await fetch(`${p.paas}/saas/upload/`, {
    method: 'POST',
    body: fd,
    headers: { cookie: c.cookieHeader() },
    redirect: 'manual',
  });
  return { status: r.status, location: r.headers.get('location'), text: await r.text() };
}

async function press(c: Client, code: string, op: 'test' | 'online') {
  const r = await c.submit(`/release/${code}/`, `/release/${code}/${op}/`, {});
  expect(r.status, decodeURIComponent(r.location ?? '')).toBe(303);
  const page = await c.req(r.location!);
  const src = /id="release-log" data-src="([^"]*)"/.exec(page.text)![1]!.replace(/&amp;/g, '&');
  for (let i = 0; i < 1200; i++) {
    const t = (await c.req(src, { headers: { 'x-requested-with': 'XMLHttpRequest' } })).json();
    if (t.data.status !== 2) return t.data as { status: number; logs: string };
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error('deploy did not finish');
}

describe('S-mart upload in the developer center', () => {
  it('is for administrators only', async () => {
    const d = await as('dev1', 'Devpass123');
    expect((await d.req('/saas/upload/')).status).toBe(403);
  });

  it('shows why a package is refused and creates nothing', async () => {
    const c = await as('admin', deps.config.admin.PAAS_ADMIN_PASS!);
    const cases: [Buffer, RegExp][] = [
      [
        tarGz([{ path: 'bk_x/src/wsgi.py', data: 'x' }]),
        /expected bk_x\/app\.yml in the package, found none/,
      ],
      [smart('bk_x', [{ path: 'bk_x/src/evil', symlink: '/etc/shadow' }]), /symlinks are not allowed/],
      [smart('bk_x', [], appYml('bk_y')), /app_code bk_y does not match the package&#39;s top folder bk_x\//],
    ];
    for (const [pkg, why] of cases) {
      const r = await upload(c, pkg);
      expect(r.status).toBe(400);
      expect(r.text).toMatch(/Package refused: /);
      expect(r.text).toMatch(why);
    }
    expect(await rows(deps.db, "SELECT id FROM paas_app WHERE code IN ('bk_x', 'bk_y')")).toEqual([]);
    expect(await rows(deps.db, 'SELECT id FROM engine_saas_packages')).toEqual([]);
  });

  it('creates the app from app.yml and deploys it to test, then production', async () => {
    const c = await as('admin', deps.config.admin.PAAS_ADMIN_PASS!);
    const wsgi = (await sampleFiles('wsgi'))['wsgi.py']!;
    const pkg = tarGz([
      {
        path: 'bk_hello/app.yml',
        data: appYml('bk_hello', {
          app_name: 'Hello SaaS',
          env: [{ key: 'BKAPP_QUOTE', value: 'from app.yml' }],
        }),
      },
      { path: 'bk_hello/src/wsgi.py', data: wsgi },
      { path: 'bk_hello/src/requirements.txt', data: '' },
    ]);
    const r = await upload(c, pkg);
    expect(r.status, r.text).toBe(303);
    expect(r.location).toBe('/release/bk_hello/');
    const app = await one<{ is_saas: number; language: string; name: string }>(
      deps.db,
      "SELECT is_saas, language, name FROM paas_app WHERE code = 'bk_hello'",
    );
    expect(app).toEqual({ is_saas: 1, language: 'python', name: 'Hello SaaS' });
    const test = await press(c, 'bk_hello', 'test');
    expect(test.status, test.logs).toBe(1);
    expect(test.logs).toMatch(/language python \(app\.yml says language: python\)/);
    const page = await fetch(`http://127.0.0.1:${hosts[0]!.webPort}/t/bk_hello/`);
    expect(await page.json()).toMatchObject({
      APP_ID: 'bk_hello',
      BK_ENV: 'testing',
      BKAPP_QUOTE: 'from app.yml',
    });
    const prod = await press(c, 'bk_hello', 'online');
    expect(prod.status, prod.logs).toBe(1);
    const o = await fetch(`http://127.0.0.1:${hosts[1]!.webPort}/o/bk_hello/`);
    expect(await o.json()).toMatchObject({ APP_ID: 'bk_hello', BK_ENV: 'production' });
  });
});
