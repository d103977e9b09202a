import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec } from '../common/db/pool';
import { sign, signedMessage } from './auth/signature';
import { type EsbEnv, startEsbEnv } from './test-env';

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

  function signed(method: 'GET' | 'POST', ts: number, body = '', secret = env.app.secret) {
    const query: Record<string, string> = {
      bk_app_code: env.app.code,
      bk_nonce: '12345',
      bk_timestamp: String(ts),
      bk_token: adminToken,
    };
    const publicPath = `/api${path}`;
    query.bk_signature = sign(secret, signedMessage(method, publicPath, query, body));
    return { query, headers: { 'x-request-uri': `${publicPath}?${new URLSearchParams(query)}` } };
  }
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
  it('takes bk_username only from whitelisted apps while the switch is on', async () => {
    const asUser = { bk_username: 'admin' };
    const refused = await call(path, { query: { ...appCreds(), ...asUser } });
    expect(refused.body).toMatchObject({ result: false, code: 1306000 });
    expect(refused.body.message).toMatch(/not on the skip-user-auth whitelist/);
    await exec(
      env.deps.db,
      "UPDATE esb_function_controller SET wlist = CONCAT(wlist, ';demo') WHERE func_code = 'user_auth::skip_user_auth'",
    );
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await call(path, { query: { ...appCreds(), ...asUser } })).body).toMatchObject({
      result: true,
      data: { bk_username: 'admin' },
    });
    await exec(
      env.deps.db,
      "UPDATE esb_function_controller SET switch_status = 0 WHERE func_code = 'user_auth::skip_user_auth'",
    );
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await call(path, { query: { ...appCreds(), ...asUser } })).body).toMatchObject({
      result: false,
      code: 1306000,
    });
    await exec(
      env.deps.db,
      "UPDATE esb_function_controller SET switch_status = 1 WHERE func_code = 'user_auth::skip_user_auth'",
    );
  });
  it('asks for an identity when there is none', async () => {
    const r = await call(path, { query: appCreds() });
    expect(r.body.message).toMatch(/provide a valid user identity/);
  });
});
