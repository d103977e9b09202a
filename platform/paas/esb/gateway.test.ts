import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EsbEnv, startEsbEnv } from '../../../test/support/esb';
import { exec } from '../common/db/pool';
import { frontDoorValue } from './auth/front-door';
import { sign, signedMessage } from './auth/signature';

let env: EsbEnv;
let adminToken: string;

beforeAll(async () => {
  env = await startEsbEnv();
  adminToken = (await env.login.ctx.tokens.issue('admin')).token;
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
    method?: string;
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
  const res = await fetch(`${env.esbUrl}${path}${qs}`, {
    method: o.method ?? (body ? 'POST' : 'GET'),
    headers,
    body,
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    body: (() => {
      try {
        return JSON.parse(text) as Envelope;
      } catch {
        return undefined as unknown as Envelope;
      }
    })(),
  };
}

const appCreds = () => ({ bk_app_code: env.app.code, bk_app_secret: env.app.secret });

describe('app authentication', () => {
  const path = '/c/compapi/v2/bk_login/is_login/';
  it('accepts the developer-center secret and answers the full envelope', async () => {
    const r = await call(path, { query: { ...appCreds(), bk_token: adminToken } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ result: true, code: 0, data: { bk_username: 'admin' } });
    expect(r.body.request_id).toMatch(/^[0-9a-f]{32}$/);
  });
  it('accepts an esb_app_account token, and the legacy app_code/app_secret names', async () => {
    const r = await call(path, {
      query: { app_code: env.account.code, app_secret: env.account.token, bk_token: adminToken },
    });
    expect(r.body).toMatchObject({ result: true, code: 0 });
  });
  it.each([
    ['bad secret', { bk_app_code: 'demo', bk_app_secret: 'wrong' }, /APP Secret verification failed/],
    ['missing secret', { bk_app_code: 'demo' }, /bk_app_secret\] cannot be empty/],
    ['missing code', { bk_app_secret: 'x' }, /bk_app_code\] cannot be empty/],
    ['unknown app', { bk_app_code: 'nobody', bk_app_secret: 'x' }, /has been registered/],
  ])('refuses a %s with 1306000 and HTTP 200', async (_n, creds, msg) => {
    const r = await call(path, { query: { ...creds, bk_token: adminToken } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ result: false, code: 1306000, data: null });
    expect(r.body.message).toMatch(msg);
  });

  let nonce = 1000 + Math.floor(Math.random() * 1e6);
  function signed(
    method: 'GET' | 'POST',
    ts: number,
    body = '',
    secret = env.app.secret,
    o: { front?: string; signPath?: string } = {},
  ) {
    const query: Record<string, string> = {
      bk_app_code: env.app.code,
      bk_nonce: String(nonce++),
      bk_timestamp: String(ts),
      bk_token: adminToken,
    };
    const publicPath = `/api${path}`;
    query.bk_signature = sign(secret, signedMessage(method, o.signPath ?? publicPath, query, body));
    const front = o.front ?? frontDoorValue(env.config.secrets.ESB_TOKEN);
    return {
      query,
      headers: {
        'x-request-uri': `${publicPath}?${new URLSearchParams(query)}`,
        'x-bkcec-front-door': front,
      },
    };
  }
  it('refuses a replayed signature, even seconds later and in another order of parameters', async () => {
    const s = signed('GET', Math.floor(Date.now() / 1000));
    expect((await call(path, s)).body).toMatchObject({ result: true, code: 0 });
    const again = await call(path, s);
    expect(again.body).toMatchObject({ result: false, code: 1306000, data: null });
    expect(again.body.message).toMatch(/already used \(replayed request\)/);
    const reordered = Object.fromEntries(Object.entries(s.query).reverse());
    expect((await call(path, { ...s, query: reordered })).body.message).toMatch(/replayed/);
  });
  it('trusts X-Request-Uri only with the front-door header nginx sets', async () => {
    const now = Math.floor(Date.now() / 1000);
    // A client reaching port 8002 itself claims the public path: ignored, so its signature fails.
    const forged = await call(path, signed('GET', now, '', env.app.secret, { front: 'guess' }));
    expect(forged.body).toMatchObject({ result: false, code: 1306000 });
    expect(forged.body.message).toMatch(/signature verification failed/);
    const noHeader = signed('GET', now);
    const { 'x-bkcec-front-door': _drop, ...bare } = noHeader.headers;
    expect((await call(path, { ...noHeader, headers: bare })).body.message).toMatch(
      /signature verification failed/,
    );
    // Such a client signs the path ESB sees instead.
    const direct = signed('GET', now, '', env.app.secret, { front: 'guess', signPath: path });
    expect((await call(path, direct)).body).toMatchObject({ result: true, code: 0 });
  });
  it('accepts a good signature (GET and POST, path from X-Request-Uri)', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await call(path, signed('GET', now))).body).toMatchObject({ result: true, code: 0 });
    const body = JSON.stringify({ bk_token: adminToken });
    const s = signed('POST', now, body);
    const r = await fetch(`${env.esbUrl}${path}?${new URLSearchParams(s.query)}`, {
      method: 'POST',
      headers: { ...s.headers, 'content-type': 'application/json' },
      body,
    });
    expect(await r.json()).toMatchObject({ result: true, code: 0 });
  });
  it('refuses a stale and a wrong signature', async () => {
    const stale = await call(path, signed('GET', Math.floor(Date.now() / 1000) - 301));
    expect(stale.body).toMatchObject({ result: false, code: 1306000 });
    expect(stale.body.message).toMatch(/bk_timestamp/);
    const wrong = await call(path, signed('GET', Math.floor(Date.now() / 1000), '', 'not-the-secret'));
    expect(wrong.body).toMatchObject({ result: false, code: 1306000 });
    expect(wrong.body.message).toMatch(/signature verification failed/);
  });
});

describe('user authentication', () => {
  const path = '/c/compapi/v2/bk_login/get_user/';
  it('accepts a valid bk_token and answers the user', async () => {
    const r = await call(path, { query: { ...appCreds(), bk_token: adminToken } });
    expect(r.body).toMatchObject({ result: true, code: 0, data: { bk_username: 'admin', bk_role: 1 } });
  });
  it('refuses an expired and a logged-out bk_token', async () => {
    const { TokenStore } = await import('../login/tokens/tokens');
    const short = await new TokenStore(env.deps.db, env.login.ctx.redis, 1).issue('admin');
    await new Promise((r) => setTimeout(r, 1_500));
    const expired = await call(path, { query: { ...appCreds(), bk_token: short.token } });
    expect(expired.body).toMatchObject({ result: false, code: 1306000 });
    expect(expired.body.message).toMatch(/bk_token is valid/);
    const t = (await env.login.ctx.tokens.issue('admin')).token;
    expect((await call(path, { query: { ...appCreds(), bk_token: t } })).body).toMatchObject({
      result: true,
    });
    const bye = await fetch(`${env.loginUrl}/login/logout/`, {
      headers: { cookie: `bk_token=${t}` },
      redirect: 'manual',
    });
    expect(bye.status).toBe(302);
    await new Promise((r) => setTimeout(r, 1_100)); // ESB keeps a valid answer for cacheSec (1 s here)
    const out = await call(path, { query: { ...appCreds(), bk_token: t } });
    expect(out.body).toMatchObject({ result: false, code: 1306000 });
    expect(out.body.message).toMatch(/bk_token is valid/);
  });
  it('takes bk_username only from whitelisted accounts while the switch is on', async () => {
    const asAdmin = { bk_app_code: env.account.code, bk_app_secret: env.account.token, bk_username: 'admin' };
    const refused = await call(path, { query: asAdmin });
    expect(refused.body).toMatchObject({ result: false, code: 1306000 });
    expect(refused.body.message).toMatch(/not on the skip-user-auth whitelist/);
    const wl = (sql: string) =>
      exec(
        env.deps.db,
        `UPDATE esb_function_controller SET ${sql} WHERE func_code = 'user_auth::skip_user_auth'`,
      );
    await wl(`wlist = CONCAT(wlist, ';${env.account.code}')`);
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await call(path, { query: asAdmin })).body).toMatchObject({
      result: true,
      data: { bk_username: 'admin' },
    });
    await wl('switch_status = 0');
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await call(path, { query: asAdmin })).body).toMatchObject({ result: false, code: 1306000 });
    await wl('switch_status = 1');
  });
  it('refuses a developer-center app that took a whitelisted code (gcloud) unless it uses the account secret', async () => {
    const own = randomUUID();
    await exec(
      env.deps.db,
      "INSERT INTO paas_app (name, code, introduction, creater, auth_token) VALUES ('G', 'gcloud', '', 'dev', ?)",
      [own],
    );
    const wl = await call('/c/compapi/v2/bk_login/get_user/', {
      query: { bk_app_code: 'gcloud', bk_app_secret: own, bk_username: 'admin' },
    });
    expect(wl.body).toMatchObject({ result: false, code: 1306000, data: null });
    expect(wl.body.message).toMatch(/only its ESB account secret is accepted/);
    // Not even with a real user's bk_token: the code itself belongs to the platform.
    const tok = await call(path, {
      query: { bk_app_code: 'gcloud', bk_app_secret: own, bk_token: adminToken },
    });
    expect(tok.body).toMatchObject({ result: false, code: 1306000 });
    const account = randomUUID();
    await exec(env.deps.db, "INSERT INTO esb_app_account (app_code, app_token) VALUES ('gcloud', ?)", [
      account,
    ]);
    await new Promise((r) => setTimeout(r, 1_100));
    const ok = await call(path, {
      query: { bk_app_code: 'gcloud', bk_app_secret: account, bk_username: 'admin' },
    });
    expect(ok.body).toMatchObject({ result: true, data: { bk_username: 'admin' } });
    const still = await call(path, {
      query: { bk_app_code: 'gcloud', bk_app_secret: own, bk_username: 'admin' },
    });
    expect(still.body).toMatchObject({ result: false, code: 1306000 });
  });
  it('refuses a developer-center secret for a code that is an esb_app_account, whitelisted or not', async () => {
    const own = randomUUID();
    await exec(
      env.deps.db,
      "INSERT INTO paas_app (name, code, introduction, creater, auth_token) VALUES ('S', ?, '', 'dev', ?)",
      [env.account.code, own],
    );
    await new Promise((r) => setTimeout(r, 1_100));
    const r = await call(path, {
      query: { bk_app_code: env.account.code, bk_app_secret: own, bk_token: adminToken },
    });
    expect(r.body).toMatchObject({ result: false, code: 1306000 });
    expect(r.body.message).toMatch(/only its ESB account secret is accepted/);
    const acct = { bk_app_code: env.account.code, bk_app_secret: env.account.token, bk_token: adminToken };
    expect((await call(path, { query: acct })).body).toMatchObject({ result: true });
  });
  it('asks for an identity when there is none', async () => {
    const r = await call(path, { query: appCreds() });
    expect(r.body.message).toMatch(/provide a valid user identity/);
    const zh = await call(path, { query: appCreds(), headers: { 'Blueking-Language': 'zh-CN' } });
    expect(zh.body).toMatchObject({ result: false, code: 1306000 });
    expect(zh.body.message).toMatch(/用户认证失败/);
  });
});

describe('X-Bkapi-Authorization (the current SDK)', () => {
  const path = '/c/compapi/v2/bk_login/get_user/';
  const auth = (v: unknown) => ({ 'x-bkapi-authorization': typeof v === 'string' ? v : JSON.stringify(v) });
  it('authenticates from the header alone and replaces parameter credentials', async () => {
    const h = auth({
      bk_app_code: env.app.code,
      bk_app_secret: env.app.secret,
      bk_token: adminToken,
      jwt: 'x',
    });
    expect((await call(path, { headers: h })).body).toMatchObject({
      result: true,
      data: { bk_username: 'admin' },
    });
    const mixed = await call(path, {
      headers: h,
      query: { bk_app_code: 'nobody', bk_app_secret: 'x', bk_token: 'bad' },
    });
    expect(mixed.body).toMatchObject({ result: true, data: { bk_username: 'admin' } });
    // …and the header's own mistakes are not rescued by good parameters.
    const bad = auth({ bk_app_code: env.app.code, bk_app_secret: 'wrong', bk_token: adminToken });
    const r = await call(path, { headers: bad, query: { ...appCreds(), bk_token: adminToken } });
    expect(r.body).toMatchObject({ result: false, code: 1306000 });
    expect(r.body.message).toMatch(/APP Secret verification failed/);
  });
  it.each([
    ['malformed JSON', '{"bk_app_code": "demo",', /must be a JSON object .*not valid JSON/],
    ['an array', '["demo"]', /must be a JSON object .*found an array/],
    ['null', 'null', /found null/],
    ['a number', '42', /found a number/],
    ['a string', '"demo"', /found a string/],
    ['a non-string code', { bk_app_code: 7, bk_app_secret: 'x' }, /bk_app_code must be a string/],
    [
      'a non-string token',
      { bk_app_code: 'demo', bk_app_secret: 'x', bk_token: ['t'] },
      /bk_token must be a string/,
    ],
  ])('refuses %s with 1306000 saying what was expected, never echoing it', async (_n, v, msg) => {
    const r = await call(path, { headers: auth(v), query: { ...appCreds(), bk_token: adminToken } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ result: false, code: 1306000, data: null });
    expect(r.body.message).toMatch(msg);
    expect(r.body.message).not.toContain(env.app.secret);
  });
  it('answers in Chinese for Blueking-Language: zh-cn', async () => {
    const r = await call(path, { headers: { ...auth('[1]'), 'Blueking-Language': 'zh-cn' } });
    expect(r.body.message).toMatch(/须为 JSON 对象/);
  });
  it('accepts an access_token in place of app and user credentials, until 300 s before it expires', async () => {
    const good = randomUUID();
    const soon = randomUUID();
    await exec(
      env.deps.db,
      `INSERT INTO esb_user_auth_token (app_code, username, auth_token, expires) VALUES
       (?, 'admin', ?, NOW() + INTERVAL 1 HOUR), ('bk_sys', 'admin', ?, NOW() + INTERVAL 100 SECOND)`,
      [env.app.code, good, soon],
    );
    const ok = await call(path, { headers: auth({ access_token: good }) });
    expect(ok.body).toMatchObject({ result: true, data: { bk_username: 'admin' } });
    const legacy = await call(path, { query: { bk_access_token: good } });
    expect(legacy.body).toMatchObject({ result: true, data: { bk_username: 'admin' } });
    for (const h of [
      { access_token: soon },
      { access_token: 'nope' },
      { access_token: good, bk_app_code: 'bk_sys' },
    ]) {
      const r = await call(path, { headers: auth(h) });
      expect(r.body).toMatchObject({ result: false, code: 1306000 });
      expect(r.body.message).toMatch(/access_token is not valid/);
    }
  });
});
