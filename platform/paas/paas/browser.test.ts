import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchBrowser } from '../../../test/support/browser';
import { type Nginx, startNginx } from '../../../test/support/nginx';
import { type PaasDeps, startPaasDeps } from '../../../test/support/paas';
import { type Platform, startPlatform } from '../../../test/support/platform';
import { exec, one } from '../common/db/pool';

let deps: PaasDeps;
let platform: Platform;
let nginx: Nginx;
let browser: Browser;
let site = '';

const hostPort = (url: string) => new URL(url).host;

/** The front door of open-paas-spec §1: `/` → paas, `/login/` → login (prefix removed), `/v1` → appengine. */
function frontDoor(p: Platform) {
  return (port: number) => `
upstream paas { server ${hostPort(p.paas)}; }
upstream login { server ${hostPort(p.login)}; }
upstream appengine { server ${hostPort(p.appengine)}; }
server {
  listen 127.0.0.1:${port};
  server_name paas.bking.com;
  client_max_body_size 512m;
  proxy_read_timeout 600s;
  proxy_set_header Host $http_host;
  proxy_set_header X-Forwarded-For $remote_addr;
  location /login/ { proxy_pass http://login/; }
  location /v1 { proxy_pass http://appengine; }
  location / { proxy_pass http://paas; }
}`;
}

beforeAll(async () => {
  deps = await startPaasDeps();
  platform = await startPlatform(deps);
  nginx = await startNginx(frontDoor(platform));
  site = `http://paas.bking.com:${nginx.port}`;
  // what the ESB sync writes: one system, one channel, its rendered doc
  const sys = await one<{ id: number }>(
    deps.db,
    "SELECT id FROM esb_component_system WHERE name = 'BK_LOGIN'",
  );
  await exec(
    deps.db,
    "UPDATE esb_component_system SET remark = 'Users and sign-in of the platform' WHERE id = ?",
    [sys!.id],
  );
  const { insertId } = await exec(
    deps.db,
    `INSERT INTO esb_channel (name, path, method, component_system_id, component_codename, component_name)
     VALUES ('Get user information', '/v2/bk_login/get_user/', 'GET', ?, 'generic.v2.bk_login.get_user', 'get_user')`,
    [sys!.id],
  );
  const doc =
    '<h3>Description</h3><p>Returns the user behind a bk_token.</p><h3>Request parameters</h3><table><tr><th>Field</th><th>Type</th><th>Description</th></tr><tr><td>bk_username</td><td>string</td><td>user to look up (whitelisted apps)</td></tr></table><pre><code>{"result": true, "code": 0, "data": {"bk_username": "admin"}}</code></pre>';
  await exec(deps.db, 'INSERT INTO esb_api_doc (component_id, doc_html) VALUES (?, ?)', [
    insertId,
    JSON.stringify({ en: doc }),
  ]);
  browser = await launchBrowser(['--host-resolver-rules=MAP *.bking.com 127.0.0.1']);
});
afterAll(async () => {
  await browser?.close();
  await nginx?.stop();
  await platform?.stop();
  await deps?.stop();
});

describe('developer journey in Chromium behind nginx', () => {
  it('admin creates a developer, who creates an app, reveals its secret and reads the API docs', async () => {
    const page = browser.page;
    const shot = (n: string) => browser.screenshot(n);
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`${m.text()} ${m.location().url}`);
    });
    page.on('pageerror', (e) => problems.push(e.message));

    await page.goto(`${site}/`);
    expect(new URL(page.url()).pathname).toBe('/login/');
    expect(new URL(page.url()).searchParams.get('c_url')).toBe('/platform/');
    await shot('01-login');

    await page.fill('#username', 'admin');
    await page.fill('#password', deps.config.admin.PAAS_ADMIN_PASS!);
    await page.click('button[type=submit]');
    await page.waitForURL(`${site}/platform/`);
    const cookie = (await browser.context.cookies(site)).find((c) => c.name === 'bk_token')!;
    expect(cookie).toMatchObject({ domain: '.bking.com', httpOnly: true, sameSite: 'Lax' });
    await shot('02-admin-home');

    await page.click('text=Users');
    await page.waitForURL(`${site}/login/accounts/user/list/`);
    await page.click('text=New user');
    await page.fill('#username', 'alice.dev');
    await page.fill('#chname', 'Alice');
    await page.fill('#phone', '13800138000');
    await page.fill('#email', 'alice@bking.com');
    await page.selectOption('#role', '2');
    await page.fill('#password', 'Alicepass1');
    await shot('03-new-user-form');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/login\/accounts\/user\/list\/\?done=created$/);
    expect(await page.textContent('.flash.ok')).toBe('User created.');
    expect(await page.textContent('table')).toContain('alice.dev');
    await shot('04-user-created');

    await page.click('text=Sign out');
    await page.waitForURL(/\/login\/\?is_from_logout=1/);
    expect(await page.textContent('.flash.ok')).toBe('You have signed out.');
    expect((await browser.context.cookies(site)).some((c) => c.name === 'bk_token')).toBe(false);
    await shot('05-signed-out');

    await page.fill('#username', 'alice.dev');
    await page.fill('#password', 'Alicepass1');
    await page.click('button[type=submit]');
    // signed out from login's own pages, so login lands on the account page
    await page.waitForURL(`${site}/login/accounts/user/list/`);
    await page.click('text=Developer center');
    await page.waitForURL(`${site}/platform/`);
    await page.click('a.btn:has-text("Create app")');
    await page.waitForURL(`${site}/app/`);
    await page.fill('#code', 'hello-app');
    await page.fill('#name', 'Hello');
    await page.fill('#introduction', 'My first BlueKing app');
    await shot('06-create-app');
    await page.click('button[type=submit]');
    await page.waitForURL(`${site}/app/hello-app/info/?done=created`);
    expect(await page.textContent('#app-code')).toBe('hello-app');
    expect(await page.textContent('#app-secret')).not.toMatch(/[0-9a-f]{8}-/);
    await shot('07-app-info');

    await page.click('[data-reveal=app-secret]');
    // Polled from the test, not evaluated in the page: the platform's CSP forbids eval.
    await expect
      .poll(async () => (await page.textContent('#app-secret'))?.trim(), { timeout: 15_000 })
      .toMatch(/^[0-9a-f-]{36}$/);
    const secret = await page.textContent('#app-secret');
    const row = await one<{ auth_token: string }>(
      deps.db,
      "SELECT auth_token FROM paas_app WHERE code = 'hello-app'",
    );
    expect(secret).toBe(row!.auth_token);
    await shot('08-secret-revealed');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('09-app-info-phone');
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.click('text=API docs');
    await page.waitForURL(`${site}/esb/api_docs/`);
    await page.click('a.tile:has-text("BK_LOGIN")');
    await page.waitForURL(`${site}/esb/api_docs/system/BK_LOGIN/`);
    await page.click('a:has-text("get_user")');
    await page.waitForURL(`${site}/esb/api_docs/system/BK_LOGIN/get_user/`);
    expect(await page.textContent('.doc')).toContain('Returns the user behind a bk_token.');
    await shot('10-api-doc');

    await page.click('text=Sign out');
    await page.waitForURL(/\/login\/\?is_from_logout=1/);
    await page.goto(`${site}/app/list/`);
    expect(new URL(page.url()).pathname).toBe('/login/');
    await shot('11-signed-out-again');
    // CSP violations (inline styles/scripts) and script errors show up here
    expect(problems).toEqual([]);
  });
});
