import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AgentHost,
  bareRepo,
  sampleApp,
  startAgentHost,
  startGitDaemon,
} from '../../../test/support/agent/host';
import { type Browser, launchBrowser, SCREENSHOT_DIR } from '../../../test/support/browser';
import { checkGlyphs } from '../../../test/support/glyphs';
import { type Nginx, startNginx } from '../../../test/support/nginx';
import { type PaasDeps, startPaasDeps } from '../../../test/support/paas';
import { type Platform, startPlatform } from '../../../test/support/platform';
import { freePort, tempDir } from '../../../test/support/ports';
import { exec, one } from '../common/db/pool';
import { type Lang, type MessageKey, type Params, translate, validTimeZone } from '../common/i18n';

let deps: PaasDeps;
let platform: Platform;
let nginx: Nginx;
let site = '';
let repos = '';
let git: Awaited<ReturnType<typeof startGitDaemon>>;
const agents: AgentHost[] = [];

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
  // a new platform: Chinese unless the browser or its cookie asks otherwise
  deps.config.i18n = { language: 'zh-cn', timeZone: 'Asia/Shanghai' };
  platform = await startPlatform(deps);
  nginx = await startNginx(frontDoor(platform));
  site = `http://paas.bking.com:${nginx.port}`;
  // what the ESB sync writes: one system, one channel, its rendered doc in both languages
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
  const en =
    '<h3>Description</h3><p>Returns the user behind a bk_token.</p><table><tr><th>Field</th><th>Type</th></tr><tr><td>bk_username</td><td>string</td></tr></table><pre><code>{"result": true, "code": 0}</code></pre>';
  const zh =
    '<h3>功能描述</h3><p>返回 bk_token 对应的用户。</p><table><tr><th>字段</th><th>类型</th></tr><tr><td>bk_username</td><td>string</td></tr></table><pre><code>{"result": true, "code": 0}</code></pre>';
  await exec(deps.db, 'INSERT INTO esb_api_doc (component_id, doc_html) VALUES (?, ?)', [
    insertId,
    JSON.stringify({ en, 'zh-hans': zh }),
  ]);
  repos = await tempDir('browser-repos');
  await bareRepo(repos, 'demo', sampleApp());
  git = await startGitDaemon(repos);
});
afterAll(async () => {
  for (const a of agents) await a.stop();
  await git?.stop();
  await nginx?.stop();
  await platform?.stop();
  await deps?.stop();
  if (repos) await rm(repos, { recursive: true, force: true });
});

/** One person's whole visit in `lang`: sign in, admin pages, a developer's app, its secret, docs and a deploy. */
async function journey(lang: Lang) {
  const T = (k: MessageKey, p?: Params) => translate(lang, k, p, 'Asia/Shanghai');
  const tag = lang === 'zh-CN' ? 'zh' : 'en';
  const browser: Browser = await launchBrowser(['--host-resolver-rules=MAP *.bking.com 127.0.0.1']);
  const page = browser.page;
  const glyphs: Record<string, Awaited<ReturnType<typeof checkGlyphs>>> = {};
  const shot = async (n: string, p: Page = page) => {
    expect(await p.getAttribute('html', 'lang'), n).toBe(lang);
    if (lang === 'zh-CN') glyphs[n] = await checkGlyphs(p);
    return browser.screenshot(`i18n-${tag}-${n}`, p);
  };
  const flash = async () => (await page.textContent('.flash'))?.trim();
  const problems: string[] = [];
  page.on('console', (m) => {
    // pages answered 401 (wrong password) and 404 on purpose; CSP violations and script errors count
    if (
      m.type() === 'error' &&
      !m.text().startsWith('Failed to load resource: the server responded with a status of 40')
    )
      problems.push(`${m.text()} ${m.location().url}`);
  });
  page.on('pageerror', (e) => problems.push(e.message));
  // a browser that prefers a language we lack: the platform default (Chinese) applies
  await page.setExtraHTTPHeaders({ 'Accept-Language': 'fr-FR,fr;q=0.9' });
  try {
    await page.goto(`${site}/`);
    expect(new URL(page.url()).pathname).toBe('/login/');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('h1')).toBe(translate('zh-CN', 'login.heading'));
    if (lang === 'en') {
      // the switch in the header: sets blueking_language on .bking.com, back to the same URL
      const before = page.url();
      await page.click('form.lang button[value=en]');
      await page.waitForSelector('html[lang="en"]');
      expect(page.url()).toBe(before);
      const c = (await browser.context.cookies(site)).find((x) => x.name === 'blueking_language');
      expect(c).toMatchObject({ value: 'en', domain: '.bking.com', httpOnly: false, sameSite: 'Lax' });
    }
    expect(await page.textContent('h1')).toBe(T('login.heading'));
    await shot('01-login');

    await page.fill('#username', 'admin');
    await page.fill('#password', deps.config.admin.PAAS_ADMIN_PASS!);
    await page.click('main button[type=submit]');
    await page.waitForURL(`${site}/platform/`);
    expect(await page.textContent('h1')).toBe(T('home.welcome', { name: 'admin' }));
    // the page script tells the server the browser's time zone, for dates
    const tz = (await browser.context.cookies(site)).find((x) => x.name === 'blueking_timezone');
    expect(validTimeZone(decodeURIComponent(tz?.value ?? ''))).toBeDefined();
    await shot('02-admin-home');

    // admin pages: users
    await page.click(`header nav >> text=${T('nav.users')}`);
    await page.waitForURL(`${site}/login/accounts/user/list/`);
    await page.click(`a.btn:has-text("${T('users.new_user')}")`);
    const dev = `dev.${tag}`;
    await page.fill('#username', dev);
    await page.fill('#chname', tag === 'zh' ? '张三' : 'Alice');
    await page.fill('#phone', '13800138000');
    await page.fill('#email', `${tag}@bking.com`);
    await page.selectOption('#role', '2');
    await page.fill('#password', 'Devpass123');
    await shot('03-new-user');
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/login\/accounts\/user\/list\/\?done=created$/);
    expect(await flash()).toBe(T('users.flash_created'));
    expect(await page.textContent('table')).toContain(T('role.2'));
    await shot('04-users');

    // admin pages: an app server for test, added, its agent started, activated
    await page.click(`text=${T('users.nav_devcenter')}`);
    await page.click(`header nav >> text=${T('nav.servers')}`);
    await page.waitForURL(`${site}/engine/server/`);
    const port = await freePort();
    await page.fill('#agent_ip', '127.0.0.1');
    await page.fill('#agent_port', String(port));
    await page.selectOption('#mode', 'test');
    await page.click(`button:has-text("${T('servers.add_button')}")`);
    await page.waitForURL(/\/engine\/server\/\?ok=/);
    expect(await flash()).toBe(T('servers.added', { ip: '127.0.0.1' }));
    const row = page.locator('#servers tr', { hasText: `127.0.0.1:${port}` });
    const [sid, token] = ((await row.locator('td.mono.small').last().textContent()) ?? '').match(
      /[0-9a-f-]{36}/g,
    )!;
    agents.push(
      await startAgentHost('test', platform.appengine, { sid, token, listen: { host: '127.0.0.1', port } }),
    );
    await row.locator(`button:has-text("${T('servers.activate')}")`).click();
    await page.waitForURL(/\/engine\/server\/\?ok=/);
    expect(await flash()).toBe(T('servers.activated_test', { ip: '127.0.0.1' }));
    await shot('05-servers');

    // admin pages: ESB whitelist
    await page.click(`header nav >> text=${T('nav.esb_admin')}`);
    await page.waitForURL(`${site}/admin/esb/`);
    expect(await page.textContent('h1')).toBe(T('esbadmin.title'));
    await page.click(`button:has-text("${T('esbadmin.wl_save')}")`);
    await page.waitForURL(/\/admin\/esb\/\?done=wl/);
    expect(await flash()).toBe(T('esbadmin.flash_wl'));
    await shot('06-esb-admin');

    await page.click(`text=${T('common.sign_out')}`);
    await page.waitForURL(/\/login\/\?is_from_logout=1/);
    expect(await flash()).toBe(T('login.signed_out'));
    await page.fill('#username', dev);
    await page.fill('#password', 'wrong-Pass1');
    await page.click('main button[type=submit]');
    expect(await flash()).toBe(T('login.wrong'));
    await shot('07-wrong-password');

    // the developer: create an app, reveal its secret
    await page.fill('#password', 'Devpass123');
    await page.click('main button[type=submit]');
    // signed out from the developer center (c_url=/), so login sends the developer back there
    await page.waitForURL(`${site}/platform/`);
    await page.click(`a.btn:has-text("${T('nav.create_app')}")`);
    const code = `hello-${tag}`;
    await page.fill('#code', code);
    await page.fill('#name', tag === 'zh' ? '你好应用' : 'Hello app');
    await page.fill('#introduction', tag === 'zh' ? '我的第一个蓝鲸应用' : 'My first BlueKing app');
    await page.fill('#vcs_url', git.url('demo'));
    await shot('08-create-app');
    await page.click('main button[type=submit]');
    await page.waitForURL(`${site}/app/${code}/info/?done=created`);
    expect(await flash()).toBe(T('apps.flash_created'));
    await page.click('[data-reveal=app-secret]');
    // polled from the test: the platform's CSP forbids eval in the page
    await expect
      .poll(async () => (await page.textContent('#app-secret'))?.trim(), { timeout: 15_000 })
      .toMatch(/^[0-9a-f-]{36}$/);
    const row2 = await one<{ auth_token: string }>(
      deps.db,
      'SELECT auth_token FROM paas_app WHERE code = ?',
      [code],
    );
    expect(await page.textContent('#app-secret')).toBe(row2!.auth_token);
    expect(await page.textContent('[data-reveal=app-secret]')).toBe(T('js.hide'));
    await shot('09-secret-revealed');

    await page.click(`header nav >> text=${T('nav.api_docs')}`);
    await page.click('a.tile:has-text("BK_LOGIN")');
    await page.click('a:has-text("get_user")');
    await page.waitForURL(`${site}/esb/api_docs/system/BK_LOGIN/get_user/`);
    expect(await page.textContent('.doc')).toContain(
      lang === 'zh-CN' ? '返回 bk_token 对应的用户。' : 'Returns the user behind a bk_token.',
    );
    await shot('10-api-doc');

    // deploy to test and watch the log until it ends
    await page.goto(`${site}/app/${code}/info/`);
    await page.click(`text=${T('apps.tab_release')}`);
    await page.waitForURL(`${site}/release/${code}/`);
    await page.click('#btn-test');
    await page.waitForURL(/\?record=\d+$/);
    await expect
      .poll(async () => page.getAttribute('#release-status', 'data-status'), {
        timeout: 120_000,
        interval: 500,
      })
      .not.toBe('2');
    // the poll script reloads the page once the deploy ended: the done page's log has no source
    await page.waitForSelector('#release-log[data-src=""]', { timeout: 15_000 });
    expect(
      await page.getAttribute('#release-status', 'data-status'),
      (await page.textContent('#release-log')) ?? '',
    ).toBe('1');
    expect(await page.textContent('#release-status')).toBe(T('release.succeeded'));
    expect(await page.textContent('#app-state')).toBe(T('state.3'));
    expect(await page.textContent('#release-history')).toContain(T('release.op_0'));
    await shot('11-deployed');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('12-deployed-phone');
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.goto(`${site}/no/such/page/`);
    expect(await page.textContent('h1')).toBe(T('common.error_title', { status: 404 }));
    await shot('13-not-found');

    await page.goto(`${site}/platform/`); // the error page has no user line
    await page.click(`text=${T('common.sign_out')}`);
    await page.waitForURL(/\/login\/\?is_from_logout=1/);
    expect(problems).toEqual([]);
    return glyphs;
  } finally {
    await browser.close();
  }
}

describe('the main journey in Chromium behind nginx, in both languages', () => {
  it('in Chinese (the default), with every Chinese character drawn by a CJK font', async () => {
    const glyphs = await journey('zh-CN');
    for (const [name, g] of Object.entries(glyphs)) {
      expect(g.chars, name).toBeGreaterThan(5);
      expect(g.missing, `${name}: drawn as missing-glyph boxes with fonts ${g.fonts}`).toEqual([]);
    }
  }, 240_000);

  it('in English, chosen with the language switch', async () => {
    await journey('en');
  }, 240_000);

  it('the glyph check fails when Chromium has no CJK font (fontconfig limited to DejaVu)', async () => {
    const dir = await tempDir('fontconfig');
    const conf = join(dir, 'fonts.conf');
    await writeFile(
      conf,
      `<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>${dir}/cache</cachedir></fontconfig>`,
    );
    const b = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP *.bking.com 127.0.0.1'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, FONTCONFIG_FILE: conf },
    });
    try {
      const page = await b.newPage({ extraHTTPHeaders: { 'Accept-Language': 'zh-CN,zh;q=0.9' } });
      await page.goto(`${site}/login/`);
      const g = await checkGlyphs(page);
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'i18n-zh-00-login-without-cjk-font.png') });
      expect(g.chars).toBeGreaterThan(5);
      expect(g.missing.length).toBe(g.chars);
      expect(g.fonts.join()).toMatch(/DejaVu/);
    } finally {
      await b.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
