import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../../test/support/http';
import { type PaasDeps, startPaasDeps } from '../../../test/support/paas';
import { type Platform, startPlatform } from '../../../test/support/platform';
import { exec, one, rows } from '../common/db/pool';
import { hashPassword } from '../login/passwords/passwords';
import { createUser } from '../login/users/store';

let deps: PaasDeps;
let p: Platform;
const PW = 'Devpass123';

beforeAll(async () => {
  deps = await startPaasDeps();
  p = await startPlatform(deps, { loginCacheMs: 0 });
  const hash = await hashPassword(PW);
  for (const [username, role] of [
    ['dev1', 2],
    ['dev2', 2],
    ['staff1', 0],
  ] as const)
    await createUser(deps.db, { username, passwordHash: hash, chname: username, phone: '', email: '', role });
});
afterAll(async () => {
  await p?.stop();
  await deps?.stop();
});

/** A paas client signed in as `user`. */
async function as(
  user: string,
  pw = user === 'admin' ? deps.config.admin.PAAS_ADMIN_PASS! : PW,
): Promise<Client> {
  const l = new Client(p.login);
  expect((await l.signIn(user, pw)).status).toBe(302);
  const c = new Client(p.paas);
  c.jar.set('bk_token', l.jar.get('bk_token')!);
  return c;
}
const esb = () => ({ 'x-app-code': 'esb', 'x-app-token': deps.config.secrets.ESB_TOKEN });

describe('sign-in gate and roles', () => {
  it('redirects pages to login, answers 401 to AJAX, and refuses bad tokens', async () => {
    const anon = new Client(p.paas);
    const r = await anon.req('/app/list/?keyword=a');
    expect(r.status).toBe(302);
    expect(r.location).toBe('/login/?c_url=%2Fapp%2Flist%2F%3Fkeyword%3Da');
    expect((await anon.req('/app/list/', { headers: { 'x-requested-with': 'XMLHttpRequest' } })).status).toBe(
      401,
    );
    anon.jar.set('bk_token', 'forged-token-forged-token-forged');
    expect((await anon.req('/platform/')).status).toBe(302);
  });

  it('keeps staff out of the developer center but lets them use home and console', async () => {
    const s = await as('staff1');
    expect((await s.req('/platform/')).status).toBe(200);
    expect((await s.req('/console/')).status).toBe(200);
    const r = await s.req('/app/');
    expect(r.status).toBe(403);
    expect(r.text).toContain('the developer center is for developers and administrators');
    expect((await s.req('/esb/api_docs/')).status).toBe(403);
  });

  it('sees a logout at login at once (no stale session after sign-out)', async () => {
    const c = await as('dev1');
    expect((await c.req('/platform/')).status).toBe(200);
    const l = new Client(p.login);
    l.jar.set('bk_token', c.jar.get('bk_token')!);
    await l.req('/logout/');
    expect((await c.req('/platform/')).status).toBe(302);
  });
});

describe('apps', () => {
  it('creates an app with a secret from appengine, shown only on request', async () => {
    const c = await as('dev1');
    const r = await c.submit('/app/', '/app/', {
      code: 'demo-app',
      name: 'Demo app',
      introduction: 'hi <b>',
      developer: 'dev2',
    });
    expect(r.status).toBe(303);
    expect(r.location).toBe('/app/demo-app/info/?done=created');
    const row = await one<{ auth_token: string; state: number; creater: string }>(
      deps.db,
      'SELECT auth_token, state, creater FROM paas_app WHERE code = ?',
      ['demo-app'],
    );
    expect(row).toMatchObject({ state: 1, creater: 'dev1' });
    expect(row!.auth_token).toMatch(/^[0-9a-f-]{36}$/);
    const eng = await one<{ key: string }>(
      deps.db,
      'SELECT t.`key` FROM engine_app_tokens t JOIN engine_apps a ON a.id = t.bk_app_id WHERE a.app_code = ?',
      ['demo-app'],
    );
    expect(eng!.key).toBe(row!.auth_token.replace(/-/g, ''));
    const info = await c.req('/app/demo-app/info/');
    expect(info.text).toContain('demo-app');
    expect(info.text).toContain('hi &lt;b&gt;');
    expect(info.text).not.toContain(row!.auth_token);
    const secret = await c.req('/app/demo-app/secret/', {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    expect(secret.json()).toEqual({ result: true, message: '', data: { secret: row!.auth_token } });
    expect(secret.headers.get('cache-control')).toBe('no-store');
    const d2 = await as('dev2');
    expect((await d2.req('/app/list/')).text).toContain('demo-app');
    expect((await (await as('staff1')).req('/app/demo-app/secret/')).status).toBe(403);
  });

  it('enforces code and name rules, uniqueness, known developers and CSRF', async () => {
    const c = await as('dev2');
    for (const code of ['ab', 'Upper', '1abc', 'a_b_c', 'x'.repeat(17)])
      expect((await c.submit('/app/', '/app/', { code, name: `n-${code}` })).status).toBe(400);
    expect((await c.submit('/app/', '/app/', { code: 'ok-code', name: 'x'.repeat(21) })).status).toBe(400);
    const dup = await c.submit('/app/', '/app/', { code: 'demo-app', name: 'Other' });
    expect(dup.status).toBe(409);
    expect((await c.submit('/app/', '/app/', { code: 'other', name: 'Demo app' })).status).toBe(409);
    const ghost = await c.submit('/app/', '/app/', {
      code: 'ghosted',
      name: 'Ghosted',
      developer: 'nobody1',
    });
    expect(ghost.status).toBe(400);
    expect(ghost.text).toContain('Unknown users: nobody1');
    const forged = await c.req('/app/', {
      form: { code: 'forged', name: 'Forged', csrfmiddlewaretoken: 'x' },
    });
    expect(forged.status).toBe(403);
    expect(await one(deps.db, 'SELECT id FROM paas_app WHERE code = ?', ['forged'])).toBeUndefined();
    const other = await as('dev1');
    expect((await other.req('/app/nope/info/')).status).toBe(404);
  });

  it('edits, manages developers and env vars with the BKAPP_ prefix', async () => {
    const c = await as('dev1');
    expect(
      (
        await c.submit('/app/demo-app/info/', '/app/demo-app/', {
          name: 'Demo renamed',
          introduction: 'x',
          vcs_url: 'https://git.example/x.git',
        })
      ).status,
    ).toBe(303);
    expect(
      (await one<{ name: string }>(deps.db, 'SELECT name FROM paas_app WHERE code = ?', ['demo-app']))!.name,
    ).toBe('Demo renamed');
    expect(
      (await c.submit('/app/demo-app/info/', '/app/demo-app/developers/', { developer: 'ghost99' })).status,
    ).toBe(400);
    expect(
      (await c.submit('/app/demo-app/info/', '/app/demo-app/developers/', { developer: '' })).status,
    ).toBe(303);
    expect((await (await as('dev2')).req('/app/demo-app/info/')).status).toBe(404);
    await c.submit('/app/demo-app/env/', '/app/demo-app/env/', {
      name: 'API_URL',
      value: 'http://x',
      mode: 'test',
    });
    await c.submit('/app/demo-app/env/', '/app/demo-app/env/', {
      name: 'BKAPP_DEBUG',
      value: '1',
      mode: 'all',
    });
    expect(
      (await c.submit('/app/demo-app/env/', '/app/demo-app/env/', { name: 'BAD-NAME', value: '1' })).status,
    ).toBe(400);
    expect(
      (await c.submit('/app/demo-app/env/', '/app/demo-app/env/', { name: 'X', value: '1', mode: 'dev' }))
        .status,
    ).toBe(400);
    const vars = await rows<{ id: number; name: string; mode: string }>(
      deps.db,
      'SELECT id, name, mode FROM paas_app_envvars WHERE app_code = ? ORDER BY name',
      ['demo-app'],
    );
    expect(vars.map((v) => [v.name, v.mode])).toEqual([
      ['BKAPP_API_URL', 'test'],
      ['BKAPP_DEBUG', 'all'],
    ]);
    expect((await c.req('/app/demo-app/env/')).text).toContain('BKAPP_API_URL');
    expect(
      (await c.submit('/app/demo-app/env/', `/app/demo-app/env/${vars[0]!.id}/delete/`, {})).status,
    ).toBe(303);
    expect(
      await rows(deps.db, 'SELECT id FROM paas_app_envvars WHERE app_code = ?', ['demo-app']),
    ).toHaveLength(1);
  });

  it('deletes only while in development, only by the creator', async () => {
    const c = await as('dev1');
    await c.submit('/app/', '/app/', { code: 'tmp-app', name: 'Tmp', developer: 'dev2' });
    expect(
      (await (await as('dev2')).submit('/app/tmp-app/info/', '/release/tmp-app/delete/', {})).status,
    ).toBe(403);
    await exec(deps.db, 'UPDATE paas_app SET state = 3, is_already_test = 1 WHERE code = ?', ['tmp-app']);
    expect((await c.submit('/app/tmp-app/info/', '/release/tmp-app/delete/', {})).status).toBe(409);
    await exec(deps.db, 'UPDATE paas_app SET state = 1, is_already_test = 0 WHERE code = ?', ['tmp-app']);
    expect((await c.submit('/app/tmp-app/info/', '/release/tmp-app/delete/', {})).location).toBe(
      '/app/list/?done=deleted',
    );
    expect(await one(deps.db, 'SELECT id FROM paas_app WHERE code = ?', ['tmp-app'])).toBeUndefined();
  });

  it('lists online apps on the console', async () => {
    await exec(deps.db, 'UPDATE paas_app SET state = 4 WHERE code = ?', ['demo-app']);
    expect((await (await as('staff1')).req('/console/')).text).toContain('href="/o/demo-app/"');
    await exec(deps.db, 'UPDATE paas_app SET state = 1 WHERE code = ?', ['demo-app']);
  });
});

describe('ESB admin', () => {
  it('edits the whitelist and app accounts with an audit line each; superusers only', async () => {
    expect((await (await as('dev1')).req('/admin/esb/')).status).toBe(403);
    const a = await as('admin');
    expect(
      (
        await a.submit('/admin/esb/', '/admin/esb/whitelist/', {
          wlist: 'bk_monitor; gcloud,bk_monitor',
          switch_status: '1',
        })
      ).status,
    ).toBe(303);
    expect(
      await one(
        deps.db,
        "SELECT wlist, switch_status FROM esb_function_controller WHERE func_code = 'user_auth::skip_user_auth'",
      ),
    ).toEqual({ wlist: 'bk_monitor,gcloud', switch_status: 1 });
    expect(
      (await a.submit('/admin/esb/', '/admin/esb/whitelist/', { wlist: 'bad code!', switch_status: '0' }))
        .status,
    ).toBe(400);
    await a.submit('/admin/esb/', '/admin/esb/whitelist/', { wlist: 'bk_monitor', switch_status: '0' });
    expect(
      (
        await a.submit('/admin/esb/', '/admin/esb/app_accounts/', {
          app_code: 'bk_job',
          app_token: 'j'.repeat(32),
        })
      ).status,
    ).toBe(303);
    expect(
      (
        await a.submit('/admin/esb/', '/admin/esb/app_accounts/', {
          app_code: 'bk_job',
          app_token: 'j'.repeat(32),
        })
      ).status,
    ).toBe(409);
    await a.submit('/admin/esb/', '/admin/esb/app_accounts/', { app_code: 'bk_gen' });
    const gen = await one<{ id: number; app_token: string }>(
      deps.db,
      'SELECT id, app_token FROM esb_app_account WHERE app_code = ?',
      ['bk_gen'],
    );
    expect(gen!.app_token).toMatch(/^[0-9a-f-]{36}$/);
    expect((await a.submit('/admin/esb/', `/admin/esb/app_accounts/${gen!.id}/delete/`, {})).status).toBe(
      303,
    );
    const page = await a.req('/admin/esb/');
    expect(page.text).toContain('bk_job');
    expect(page.text).not.toContain('j'.repeat(32));
    const log = await rows<{ action: string; target: string; operator: string }>(
      deps.db,
      'SELECT action, target, operator FROM paas_audit_log ORDER BY id',
    );
    expect(log.map((l) => l.action)).toEqual([
      'whitelist.update',
      'whitelist.update',
      'app_account.add',
      'app_account.add',
      'app_account.delete',
    ]);
    expect(new Set(log.map((l) => l.operator))).toEqual(new Set(['admin']));
    expect((await a.req('/admin/esb/whitelist/', { form: { wlist: 'x', switch_status: '1' } })).status).toBe(
      403,
    );
  });
});

describe('API docs and the ESB-facing API', () => {
  it('shows systems, APIs and one API doc from the ESB tables', async () => {
    const sys = await one<{ id: number }>(
      deps.db,
      "SELECT id FROM esb_component_system WHERE name = 'BK_LOGIN'",
    );
    const { insertId } = await exec(
      deps.db,
      `INSERT INTO esb_channel (name, path, method, component_system_id, component_codename, component_name) VALUES ('Get a user', '/v2/bk_login/get_user/', 'GET', ?, 'generic.v2.bk_login.get_user', 'get_user')`,
      [sys!.id],
    );
    await exec(deps.db, 'INSERT INTO esb_api_doc (component_id, doc_html) VALUES (?, ?)', [
      insertId,
      JSON.stringify({ en: '<h3>get_user</h3><p>Returns a user</p>', 'zh-hans': '<p>获取用户</p>' }),
    ]);
    const c = await as('dev1');
    expect((await c.req('/esb/api_docs/')).text).toContain('href="/esb/api_docs/system/BK_LOGIN/"');
    expect((await c.req('/esb/api_docs/system/BK_LOGIN/')).text).toContain(
      '/api/c/compapi/v2/bk_login/get_user/',
    );
    expect((await c.req('/esb/api_docs/system/BK_LOGIN/get_user/')).text).toContain('<p>Returns a user</p>');
    expect(
      (await c.req('/esb/api_docs/system/BK_LOGIN/get_user/', { headers: { 'accept-language': 'zh-CN' } }))
        .text,
    ).toContain('获取用户');
    expect((await c.req('/esb/api_docs/system/BK_LOGIN/nope/')).status).toBe(404);
    expect((await c.req(`/esb/api_docs/api/BK_LOGIN/${insertId}/docs/`)).json().data.doc_html).toContain(
      'Returns a user',
    );
  });

  it('answers app_info to ESB only', async () => {
    const c = new Client(p.paas);
    expect((await c.req('/paas/api/app_info/?target_app_code=demo-app', { headers: esb() })).json()).toEqual({
      result: true,
      code: '00',
      message: 'OK',
      data: [{ app_code: 'demo-app', app_name: 'Demo renamed' }],
    });
    const v2 = (
      await c.req('/paas/api/v2/app_info/?target_app_code=demo-app;none&fields=creator;developer', {
        headers: esb(),
      })
    ).json();
    expect(v2).toEqual({
      result: true,
      bk_error_code: 0,
      bk_error_msg: '',
      data: [{ bk_app_code: 'demo-app', bk_app_name: 'Demo renamed', creator: 'dev1', developer: 'dev1' }],
    });
    const wrong = { 'x-app-code': 'esb', 'x-app-token': 'wrong' };
    expect((await c.req('/paas/api/app_info/', { headers: wrong })).json()).toMatchObject({
      result: false,
      code: '1001',
    });
    expect((await c.req('/paas/api/v2/app/info/', { headers: wrong })).json()).toMatchObject({
      result: false,
      bk_error_code: 1301001,
    });
  });

  it('healthz checks the database, login and appengine', async () => {
    const r = await new Client(p.paas).req('/healthz/');
    expect(r.json()).toEqual({
      result: true,
      bk_error_code: 0,
      bk_error_msg: 'OK',
      data: { settings: 'ok', database: 'ok', login: 'ok', appengine: 'ok' },
    });
  });
});
