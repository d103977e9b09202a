import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EsbEnv, startEsbEnv } from '../../../test/support/esb';
import { exec } from '../common/db/pool';

let env: EsbEnv;
let token: string;

beforeAll(async () => {
  env = await startEsbEnv();
  token = (await env.login.ctx.tokens.issue('admin')).token;
});
afterAll(async () => {
  await env?.stop();
});

// biome-ignore lint/suspicious/noExplicitAny: tests read envelope data loosely
type Envelope = { result: boolean; code: number | string; message: string; data: any; request_id: string };

async function call(
  path: string,
  o: {
    query?: Record<string, string>;
    json?: unknown;
    form?: Record<string, string>;
    headers?: Record<string, string>;
  } = {},
) {
  const qs = o.query ? `?${new URLSearchParams(o.query)}` : '';
  const headers: Record<string, string> = { ...o.headers };
  let body: string | undefined;
  if (o.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(o.json);
  } else if (o.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(o.form).toString();
  }
  const started = Date.now();
  const res = await fetch(`${env.esbUrl}${path}${qs}`, { method: body ? 'POST' : 'GET', headers, body });
  const text = await res.text();
  let parsed: Envelope | undefined;
  try {
    parsed = JSON.parse(text) as Envelope;
  } catch {}
  return {
    status: res.status,
    text,
    body: parsed as Envelope,
    ms: Date.now() - started,
    type: res.headers.get('content-type'),
  };
}

const creds = () => ({ bk_app_code: env.app.code, bk_app_secret: env.app.secret, bk_token: token });
const lastSeen = () => env.backend.seen[env.backend.seen.length - 1]!;
const reload = () => env.esb.catalog.reload();

describe('routing', () => {
  it('normalises the trailing slash', async () => {
    const r = await call('/c/compapi/v2/bk_login/get_user', { query: creds() });
    expect(r.body).toMatchObject({ result: true, data: { bk_username: 'admin' } });
  });
  it('answers an unknown system or component with the 1306404 envelope (HTTP 200), a non-ESB path with 404', async () => {
    for (const p of [
      '/c/compapi/v2/nothing/here/',
      '/c/compapi/v2/bk_login/nope/',
      '/c/compapi/bk_login/nope/',
    ]) {
      const r = await call(p, { query: creds() });
      expect(r.status).toBe(200);
      expect(Object.keys(r.body).sort()).toEqual(['code', 'data', 'message', 'request_id', 'result']);
      expect(r.body).toMatchObject({ result: false, code: 1306404, data: null });
      expect(r.body.message).toMatch(/does not exist/);
    }
    const zh = await call('/c/compapi/v2/nothing/here/', { headers: { 'blueking-language': 'zh-cn' } });
    expect(zh.body.message).toMatch(/不存在/);
    const other = await call('/elsewhere');
    expect(other.status).toBe(404);
    expect(other.body).toMatchObject({ result: false, code: 1306404, data: null });
    expect(other.body.request_id).toMatch(/^[0-9a-f]{32}$/);
  });
  it('answers a wrong method and a too-large body with the envelope', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const r = await fetch(`${env.esbUrl}/c/compapi/v2/bk_login/get_user/`, { method });
      expect(r.status).toBe(200);
      const b = (await r.json()) as Envelope;
      expect(b).toMatchObject({ result: false, code: 1306000, data: null });
      expect(b.message).toMatch(new RegExp(`${method} is not supported`));
    }
    const big = await fetch(`${env.esbUrl}/c/compapi/v2/bk_login/get_batch_users/`, {
      method: 'POST',
      body: 'x'.repeat(8 * 1024 * 1024 + 1),
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({
      result: false,
      code: 1306000,
      data: null,
      message: /larger than/,
    });
  });
  it('captures {var} path parameters into the back-end path', async () => {
    const r = await call('/c/compapi/v2/sops/get_template_info/42/7', { query: { ...creds(), x: '1' } });
    expect(r.body).toMatchObject({ result: true, code: 0, message: 'echo' });
    expect(r.body.data.url).toBe('/o/bk_sops/apigw/get_template_info/42/7/?x=1');
  });
  it('answers 1306405 for an inactive channel and 1306404 for a missing component', async () => {
    await exec(env.deps.db, "UPDATE esb_channel SET is_active = 0 WHERE path = '/v2/cc/create_business/'");
    await exec(
      env.deps.db,
      "INSERT INTO esb_channel (name, path, component_codename) VALUES ('gone', '/v2/gone/thing/', 'generic.v2.gone.thing')",
    );
    await reload();
    expect((await call('/c/compapi/v2/cc/create_business/', { json: creds() })).body).toMatchObject({
      result: false,
      code: 1306405,
    });
    expect((await call('/c/compapi/v2/gone/thing/', { query: creds() })).body).toMatchObject({
      result: false,
      code: 1306404,
    });
  });
});

describe('parameters and forwarding', () => {
  it('forwards a JSON POST with identity headers and without sensitive parameters', async () => {
    const r = await call('/c/compapi/v2/cc/search_business/', {
      json: { ...creds(), bk_supplier_account: '0', fields: ['bk_biz_id'] },
      headers: { 'blueking-language': 'en', cookie: `bk_token=${token}` },
    });
    expect(r.body).toMatchObject({ result: true, code: 0, message: 'echo' });
    const s = lastSeen();
    expect(s.method).toBe('POST');
    expect(s.url).toBe('/api/v3/biz/search/0');
    expect(JSON.parse(s.body)).toEqual({ bk_supplier_account: '0', fields: ['bk_biz_id'] });
    expect(s.headers['bk-username']).toBe('admin');
    expect(s.headers['bk-app-code']).toBe('demo');
    expect(s.headers['x-bkapi-request-id']).toBe(r.body.request_id);
    expect(s.headers['blueking-language']).toBe('en');
    expect(s.headers.cookie).toBeUndefined();
    expect(JSON.stringify(s)).not.toContain(env.app.secret);
    expect(JSON.stringify(s)).not.toContain(token);
  });
  it('reads form bodies and legacy aliases, and forwards GET parameters as a query', async () => {
    const r = await call('/c/compapi/v2/cc/get_host_base_info/', {
      form: {
        app_code: env.app.code,
        app_secret: env.app.secret,
        bk_token: token,
        bk_supplier_account: '0',
        bk_host_id: '9',
      },
    });
    expect(r.body).toMatchObject({ result: true });
    expect(lastSeen().method).toBe('GET');
    expect(lastSeen().url).toBe('/api/v3/hosts/0/9?bk_supplier_account=0&bk_host_id=9');
  });
  it('reports a bad JSON body and a missing path parameter', async () => {
    const res = await fetch(`${env.esbUrl}/c/compapi/v2/cc/search_business/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"bk_app_code": ',
    });
    expect(await res.json()).toMatchObject({
      result: false,
      code: 1306000,
      message: expect.stringMatching(/not valid JSON/),
    });
    const r = await call('/c/compapi/v2/cc/search_business/', { json: creds() });
    expect(r.body).toMatchObject({
      result: false,
      code: 1306406,
      message: expect.stringMatching(/bk_supplier_account/),
    });
  });
  it('gives 1306201 for a timeout (channel timeout_time) without hanging, for bad JSON and for HTTP 500', async () => {
    await exec(
      env.deps.db,
      "UPDATE esb_channel SET timeout_time = 1 WHERE path = '/v2/sops/get_template_info/{template_id}/{bk_biz_id}/'",
    );
    await reload();
    const slow = await call('/c/compapi/v2/sops/get_template_info/slow/1/', { query: creds() });
    expect(slow.body).toMatchObject({
      result: false,
      code: 1306201,
      message: expect.stringMatching(/timed out/),
    });
    expect(slow.ms).toBeLessThan(2_500);
    const bad = await call('/c/compapi/v2/sops/get_template_info/badjson/1/', { query: creds() });
    expect(bad.body).toMatchObject({
      result: false,
      code: 1306201,
      message: expect.stringMatching(/not JSON/),
    });
    const e500 = await call('/c/compapi/v2/sops/get_template_info/http500/1/', { query: creds() });
    expect(e500.body).toMatchObject({
      result: false,
      code: 1306201,
      message: expect.stringMatching(/HTTP 500/),
    });
  });
  it('serves self-service components: passes headers, strips secrets, passes non-JSON through', async () => {
    const [sys] = (await env.deps.db.query(
      "SELECT id FROM esb_component_system WHERE name = 'CC'",
    )) as unknown as [{ id: number }[]];
    await exec(
      env.deps.db,
      `INSERT INTO esb_buffet_component (name, system_id, dest_url, dest_http_method, favor_post_ctype, extra_headers, registed_path, registed_http_method)
       VALUES ('echo', ?, ?, '_ORIG', 'form', '{"X-Extra": "yes"}', '/my/echo/', 'POST'), ('txt', ?, ?, 'GET', 'json', NULL, '/my/text/', 'GET')`,
      [sys[0]!.id, `${env.backend.url}/buffet/{kind}/`, sys[0]!.id, `${env.backend.url}/text/`],
    );
    await reload();
    const r = await call('/c/self-service-api/my/echo', {
      json: { ...creds(), kind: 'k1', n: 1 },
      headers: {
        'x-caller': 'me',
        'x-bkapi-authorization': JSON.stringify({
          bk_app_code: env.app.code,
          bk_app_secret: env.app.secret,
          bk_token: token,
        }),
        'x-bkcec-front-door': 'x',
      },
    });
    expect(r.body).toMatchObject({ result: true, message: 'echo' });
    const s = lastSeen();
    expect(s.headers['x-bkapi-authorization']).toBeUndefined();
    expect(s.headers['x-bkcec-front-door']).toBeUndefined();
    expect(JSON.stringify(s)).not.toContain(env.app.secret);
    expect(s.url).toBe('/buffet/k1/');
    expect(new URLSearchParams(s.body).get('n')).toBe('1');
    expect(new URLSearchParams(s.body).has('bk_app_secret')).toBe(false);
    expect(new URLSearchParams(s.body).has('bk_token')).toBe(false);
    expect(s.headers['x-caller']).toBe('me');
    expect(s.headers['x-extra']).toBe('yes');
    expect(s.headers['bk-username']).toBe('admin');
    const t = await call('/c/self-service-api/my/text/', { query: creds() });
    expect(t.text).toBe('plain words');
    expect(t.type).toMatch(/text\/plain/);
    const none = await call('/c/self-service-api/my/none/', { query: creds() });
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ result: false, code: 1306404 });
  });
});

describe('built-in components', () => {
  it('bk_login get_all_users and get_batch_users, bk_paas get_app_info, esb get_systems and get_components', async () => {
    expect((await call('/c/compapi/v2/bk_login/get_all_users/', { query: creds() })).body).toMatchObject({
      result: true,
      data: [{ bk_username: 'admin' }],
    });
    expect(
      (
        await call('/c/compapi/v2/bk_login/get_batch_users/', {
          json: { ...creds(), bk_username_list: ['admin'] },
        })
      ).body,
    ).toMatchObject({ result: true, data: { admin: { bk_username: 'admin' } } });
    const app = await call('/c/compapi/v2/bk_paas/get_app_info/', {
      query: { ...creds(), target_app_code: 'demo' },
    });
    expect(app.body).toMatchObject({
      result: true,
      code: 0,
      data: [{ bk_app_code: 'demo', bk_app_name: 'Demo' }],
    });
    const systems = await call('/c/compapi/v2/esb/get_systems/', { query: creds() });
    expect(systems.body.data.map((s: { name: string }) => s.name)).toEqual(
      expect.arrayContaining(['BK_LOGIN', 'CC', 'SOPS', 'ESB']),
    );
    const comps = await call('/c/compapi/v2/esb/get_components/', {
      query: { ...creds(), system_names: 'BK_LOGIN' },
    });
    expect(comps.body.data.map((c: { name: string }) => c.name).sort()).toEqual([
      'get_all_users',
      'get_batch_users',
      'get_user',
      'is_login',
    ]);
  });
});

describe('rate limit', () => {
  it('allows the configured tokens per app and channel, then answers 1306429', async () => {
    await exec(
      env.deps.db,
      `UPDATE esb_channel SET rate_limit_required = 1, rate_limit_conf = '{"app_ratelimit": {"__default": [{"tokens": 3, "minute": 1}], "bk_sys": [{"tokens": 1, "second": 1}]}}'
       WHERE path = '/v2/esb/get_systems/'`,
    );
    await reload();
    const codes = [];
    for (let i = 0; i < 4; i++)
      codes.push((await call('/c/compapi/v2/esb/get_systems/', { query: creds() })).body.code);
    expect(codes).toEqual([0, 0, 0, 1306429]);
    const acct = { bk_app_code: env.account.code, bk_app_secret: env.account.token, bk_token: token };
    expect((await call('/c/compapi/v2/esb/get_systems/', { query: acct })).body.code).toBe(0);
    expect((await call('/c/compapi/v2/esb/get_systems/', { query: acct })).body.code).toBe(1306429);
  });
});

describe('API log', () => {
  it('writes one JSON line per call, with no secret or token in it', async () => {
    await new Promise((r) => setTimeout(r, 100));
    const text = await readFile(join(env.logDir, 'esb_api.log'), 'utf8');
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThan(15);
    expect(lines[0]).toMatchObject({
      request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      app_code: 'demo',
      username: 'admin',
      result: true,
    });
    expect(lines.some((l) => l.code === 1306429)).toBe(true);
    expect(text).not.toContain(env.app.secret);
    expect(text).not.toContain(env.account.token);
    expect(text).not.toContain(token);
  });
});
