// App codes and secrets end to end over real MariaDB and Redis: developer center, appengine and
// ESB (caching secrets for 60 s, so only the invalidation can make a rotation take effect at once).
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, one } from '../../platform/paas/common/db/pool';
import { createEsbServer, type EsbServer } from '../../platform/paas/esb/server';
import { parseEsbSettings } from '../../platform/paas/esb/settings';
import { DEFAULT_WHITELIST } from '../../platform/paas/esb/sync/source';
import { syncEsb } from '../../platform/paas/esb/sync/sync';
import { hashPassword } from '../../platform/paas/login/passwords/passwords';
import { createUser } from '../../platform/paas/login/users/store';
import { RESERVED_APP_CODES } from '../../platform/paas/paas/apps/reserved';
import { PLATFORM_APP_CODES } from '../../src/modules/paas/tokens';
import { Client } from '../support/http';
import { type PaasDeps, startPaasDeps } from '../support/paas';
import { type Platform, startPlatform } from '../support/platform';

let deps: PaasDeps;
let p: Platform;
let esb: EsbServer;
let esbUrl = '';
const PW = 'Devpass123';

beforeAll(async () => {
  deps = await startPaasDeps();
  p = await startPlatform(deps, { loginCacheMs: 0 });
  const hash = await hashPassword(PW);
  for (const u of ['dev1', 'dev2'])
    await createUser(deps.db, { username: u, passwordHash: hash, chname: u, phone: '', email: '', role: 2 });
  await syncEsb(deps.db);
  const settings = parseEsbSettings({ cacheSec: 60, refreshSec: 60 }, 'test');
  esb = await createEsbServer(
    { ...p.config, urls: { ...p.config.urls, login: p.login, paas: p.paas } },
    settings,
  );
  await esb.app.listen({ host: '127.0.0.1', port: 0 });
  esbUrl = `http://127.0.0.1:${(esb.app.server.address() as AddressInfo).port}`;
  await new Promise((r) => setTimeout(r, 300)); // ESB's subscription to secret news
});
afterAll(async () => {
  await esb?.close();
  await p?.stop();
  await deps?.stop();
});

/** A paas client signed in as `user`, and its bk_token. */
async function as(user: string): Promise<{ c: Client; token: string }> {
  const l = new Client(p.login);
  expect((await l.signIn(user, PW)).status).toBe(302);
  const c = new Client(p.paas);
  const token = l.jar.get('bk_token')!;
  c.jar.set('bk_token', token);
  return { c, token };
}
const create = (c: Client, code: string) => c.submit('/app/', '/app/', { code, name: code, developer: '' });
const secretOf = async (c: Client, code: string): Promise<string> =>
  (await c.req(`/app/${code}/secret/`, { headers: { accept: 'application/json' } })).json().data.secret;

/** `bk_login/get_user` through ESB with the app's code and `secret`: did ESB accept the app? */
async function esbAccepts(code: string, secret: string, bkToken: string): Promise<boolean> {
  const q = new URLSearchParams({ bk_app_code: code, bk_app_secret: secret, bk_token: bkToken });
  const r = await fetch(`${esbUrl}/c/compapi/v2/bk_login/get_user/?${q}`);
  return ((await r.json()) as { result: boolean }).result;
}

describe('reserved app codes', () => {
  it('covers the platform codes and the ESB sync whitelist', () => {
    for (const c of [...PLATFORM_APP_CODES, ...DEFAULT_WHITELIST]) expect(RESERVED_APP_CODES).toContain(c);
  });

  it('refuses platform, whitelisted and app-account codes to developers', async () => {
    await exec(
      deps.db,
      "UPDATE esb_function_controller SET wlist = CONCAT(wlist, ',partner-x') WHERE func_code = 'user_auth::skip_user_auth'",
    );
    await exec(
      deps.db,
      "INSERT INTO esb_app_account (app_code, app_token) VALUES ('acct-y', 'x-token-0123456789')",
    );
    const { c } = await as('dev1');
    for (const code of ['gcloud', 'bk-paas', 'bk-monitor', 'esb', 'partner-x', 'acct-y']) {
      const r = await create(c, code);
      expect(r.status, code).toBe(403);
      expect(r.text).toContain(`The code ${code} is reserved`);
      expect(await one(deps.db, 'SELECT id FROM paas_app WHERE code = ?', [code])).toBeUndefined();
    }
    expect((await create(c, 'fine-app')).status).toBe(303);
  });
});

describe('app secrets', () => {
  it('rotates: the old secret is refused by ESB and appengine at once, the new one works', async () => {
    const { c, token } = await as('dev1');
    expect((await create(c, 'rot-app')).status).toBe(303);
    const old = await secretOf(c, 'rot-app');
    expect(await esbAccepts('rot-app', old, token)).toBe(true); // now cached in ESB for 60 s
    const r = await c.submit('/app/rot-app/info/', '/app/rot-app/secret/rotate/', {});
    expect(r.status).toBe(303);
    expect(r.location).toBe('/app/rot-app/info/?done=rotated');
    const fresh = await secretOf(c, 'rot-app');
    expect(fresh).not.toBe(old);
    expect(await esbAccepts('rot-app', old, token)).toBe(false);
    expect(await esbAccepts('rot-app', fresh, token)).toBe(true);
    const engine = (t: string) =>
      fetch(`${p.appengine}/v1/apps/rot-app/`, { headers: { 'x-app-code': 'rot-app', 'x-app-token': t } });
    expect((await engine(old)).status).toBe(403);
    expect((await engine(fresh)).status).toBe(200);
    const audit = await one<{ operator: string }>(
      deps.db,
      "SELECT operator FROM paas_audit_log WHERE action = 'app.secret_rotate' AND target = 'rot-app'",
    );
    expect(audit?.operator).toBe('dev1');
  });

  it('lets only the app’s developers rotate, with the page’s CSRF token', async () => {
    const rotate = (c: Client, form: Record<string, string>) =>
      c.req('/app/rot-app/secret/rotate/', { form });
    const dev1 = (await as('dev1')).c;
    expect((await rotate(dev1, { x: '1' })).status).toBe(403); // no CSRF token
    const dev2 = (await as('dev2')).c;
    const csrf = Client.csrf((await dev2.req('/app/')).text);
    expect((await rotate(dev2, { csrfmiddlewaretoken: csrf })).status).toBe(404); // not dev2's app
    const kept = await one<{ n: number }>(
      deps.db,
      "SELECT COUNT(*) AS n FROM paas_audit_log WHERE action = 'app.secret_rotate' AND target = 'rot-app'",
    );
    expect(Number(kept?.n)).toBe(1);
  });

  it('never hands a deleted app’s secret to the next owner of its code', async () => {
    const a = await as('dev1');
    expect((await create(a.c, 'del-app')).status).toBe(303);
    const first = await secretOf(a.c, 'del-app');
    expect(await esbAccepts('del-app', first, a.token)).toBe(true);
    expect((await a.c.submit('/app/del-app/info/', '/release/del-app/delete/', {})).status).toBe(303);
    expect(await esbAccepts('del-app', first, a.token)).toBe(false);
    const b = await as('dev2');
    expect((await create(b.c, 'del-app')).status).toBe(303);
    const second = await secretOf(b.c, 'del-app');
    expect(second).not.toBe(first);
    expect(await esbAccepts('del-app', first, b.token)).toBe(false);
    expect(await esbAccepts('del-app', second, b.token)).toBe(true);
  });
});
