import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec } from '../../platform/paas/common/db/pool';
import { vhostVars } from '../../src/modules/nginx/vhost';
import { templatesDir } from '../../src/paths';
import { renderTemplate } from '../../src/render';
import { type EsbEnv, startEsbEnv } from '../support/esb';
import { type Nginx, startNginx } from '../support/nginx';
import { placementOf } from '../support/placement';
import { freePort } from '../support/ports';
import { type PyVenv, pyVenv } from '../support/pyvenv';

/** The current SDK from PyPI, pinned with everything it pulls in. */
const SDK_REQUIREMENTS = [
  'bkapi-component-open==2.1.0',
  'bkapi-client-core==1.2.0',
  'requests==2.34.2',
  'urllib3==2.8.0',
  'idna==3.20',
  'charset-normalizer==3.5.3',
  'certifi==2026.10.19.post1',
  'curlify==3.0.0',
  'six==1.17.0',
  'typing_extensions==4.16.0',
];

let venv: PyVenv;
let env: EsbEnv;
let nginx: Nginx;
let endpoint: string;
let token: string;
/** A developer-center app that took the whitelisted code `gcloud` (issue 17's attack). */
const squatter = { code: 'gcloud', secret: randomUUID() };

beforeAll(async () => {
  [venv, env] = await Promise.all([pyVenv(SDK_REQUIREMENTS), startEsbEnv()]);
  token = (await env.login.ctx.tokens.issue('admin')).token;
  await exec(
    env.deps.db,
    `UPDATE esb_function_controller SET wlist = CONCAT(wlist, ';${env.account.code}') WHERE func_code = 'user_auth::skip_user_auth'`,
  );
  await exec(
    env.deps.db,
    "INSERT INTO paas_app (name, code, introduction, creater, auth_token) VALUES ('G', ?, '', 'dev', ?)",
    [squatter.code, squatter.secret],
  );
  // The deployed front door: the real paas.conf template, upstreams on this machine.
  const port = (u: string) => new URL(u).port;
  const vars = {
    HTTP_SCHEMA: 'http',
    ESB_TOKEN: env.config.secrets.ESB_TOKEN,
    APPENGINE_PORT: String(await freePort()),
    PAAS_PORT: String(await freePort()),
    ESB_PORT: port(env.esbUrl),
    LOGIN_PORT: port(env.loginUrl),
    APP_NGINX_PORT: '8010',
    ...Object.fromEntries(['APPENGINE', 'PAAS', 'ESB', 'LOGIN'].map((p) => [`PAAS_${p}_IP`, '127.0.0.1'])),
  };
  const tpl = await readFile(join(templatesDir('nginx'), '#etc#nginx#paas.conf.tpl'), 'utf8');
  nginx = await startNginx((p) => {
    const all = { ...vars, PAAS_HTTP_PORT: String(p) };
    return renderTemplate(tpl, {
      ...all,
      ...vhostVars(all, placementOf({ paas: ['127.0.0.1'] })),
      NGINX_PAAS_LISTEN: `    listen 127.0.0.1:${p};`, // loopback only in tests
      PAAS_FQDN: 'paas.bking.test',
      PAAS_HOST: 'paas.service.consul',
    });
  });
  endpoint = `http://127.0.0.1:${nginx.port}`;
}, 240_000);
afterAll(async () => {
  await nginx?.stop();
  await env?.stop();
});

type Outcome = {
  status?: number;
  // biome-ignore lint/suspicious/noExplicitAny: envelopes are read loosely
  body?: any;
  error?: string;
  content_type_sent?: string | null;
  replies?: Outcome[];
};

/** Run calls through the Python driver in the SDK venv, all in one interpreter. */
function drive(calls: object[]): Promise<Outcome[]> {
  return new Promise((resolve, reject) => {
    const p = spawn(venv.python, [join(import.meta.dirname, '..', 'support', 'esb', 'sdk_driver.py')], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (c) => {
      out += c;
    });
    p.stderr.on('data', (c) => {
      err += c;
    });
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out) as Outcome[]) : reject(new Error(`driver exited ${code}: ${err}`)),
    );
    p.stdin.end(JSON.stringify({ endpoint, calls }));
  });
}

const account = () => ({ bk_app_code: env.account.code, bk_app_secret: env.account.token });
const app = () => ({ bk_app_code: env.app.code, bk_app_secret: env.app.secret });
const sdk = (ver: 'v2' | '', auth: object, group: string, op: string, extra: object = {}) => ({
  kind: 'sdk',
  ver,
  auth,
  group,
  op,
  ...extra,
});
const OK_V2 = { result: true, code: 0 };
const OK_V1 = { result: true, code: '00' };

describe('the current SDK from PyPI (X-Bkapi-Authorization), through the real nginx template', () => {
  it('signs in with header credentials in v2 and v1 form: bk_username (whitelisted account) and bk_token', async () => {
    const [v2User, v1User, v2Token, v1Token, isLogin, v1IsLogin] = await drive([
      sdk('v2', { ...account(), bk_username: 'admin' }, 'bk_login', 'get_user'),
      sdk('', { ...account(), bk_username: 'admin' }, 'bk_login', 'get_user'),
      sdk('v2', { ...app(), bk_token: token }, 'bk_login', 'get_user'),
      sdk('', { ...app(), bk_token: token }, 'bk_login', 'get_user'),
      sdk('v2', { ...app(), bk_token: token }, 'bk_login', 'is_login'),
      sdk('', { ...app(), bk_token: token }, 'bk_login', 'is_login'),
    ]);
    expect(v2User!.body).toMatchObject({ ...OK_V2, data: { bk_username: 'admin', bk_role: 1 } });
    expect(v2User!.body.request_id).toMatch(/^[0-9a-f]{32}$/);
    // v1 (DEFAULT_BK_API_VER = ""): the v1 names and the string role blueapps reads.
    expect(v1User!.body).toMatchObject({ ...OK_V1, data: { username: 'admin', role: '1' } });
    expect(v1User!.body.data).not.toHaveProperty('bk_username');
    expect(v2Token!.body).toMatchObject({ ...OK_V2, data: { bk_username: 'admin', bk_role: 1 } });
    expect(v1Token!.body).toMatchObject({ ...OK_V1, data: { username: 'admin', role: '1' } });
    expect(isLogin!.body).toMatchObject({ ...OK_V2, data: { bk_username: 'admin' } });
    expect(v1IsLogin!.body).toMatchObject({ ...OK_V1, data: { username: 'admin' } });
  });

  it('refuses a wrong secret, a squatted whitelisted code and bk_username from a non-whitelisted app, as envelopes', async () => {
    const [wrong, wrongZh, squat, notListed] = await drive([
      sdk('v2', { ...app(), bk_app_secret: 'wrong', bk_token: token }, 'bk_login', 'get_user'),
      sdk('v2', { ...app(), bk_app_secret: 'wrong', bk_token: token }, 'bk_login', 'get_user', {
        language: 'zh-cn',
      }),
      sdk(
        'v2',
        { bk_app_code: squatter.code, bk_app_secret: squatter.secret, bk_username: 'admin' },
        'bk_login',
        'get_user',
      ),
      sdk('v2', { ...app(), bk_username: 'admin' }, 'bk_login', 'get_user'),
    ]);
    expect(wrong!.body).toMatchObject({ result: false, code: 1306000, data: null });
    expect(wrong!.body.message).toMatch(/APP Secret verification failed/);
    expect(wrongZh!.body.message).toMatch(/APP Secret 校验失败/);
    expect(squat!.body).toMatchObject({ result: false, code: 1306000, data: null });
    expect(squat!.body.message).toMatch(/only its ESB account secret/);
    expect(notListed!.body).toMatchObject({ result: false, code: 1306000 });
    expect(notListed!.body.message).toMatch(/not on the skip-user-auth whitelist/);
  });

  it('reports unknown components and systems as ESB errors, not exceptions', async () => {
    const outs = await drive([
      sdk('v2', { ...app(), bk_token: token }, 'cc', 'add_host_lock', { data: { id_list: [1] } }),
      sdk('v2', { ...app(), bk_token: token }, 'usermanage', 'list_departments'),
      sdk('', { ...app(), bk_token: token }, 'usermanage', 'list_departments'),
    ]);
    for (const o of outs) {
      expect(o.error).toBeUndefined();
      expect(o.body).toMatchObject({ result: false, code: 1306404, data: null });
      expect(o.body.message).toMatch(/does not exist/);
    }
  });

  it('lets header credentials replace parameter ones, forwards neither, and asks for the test stage', async () => {
    const before = env.testBackend.seen.length;
    const [mixed, cc] = await drive([
      sdk('v2', { ...app(), bk_token: token }, 'bk_login', 'get_user', {
        data: { bk_app_code: 'nobody', bk_app_secret: 'wrong' },
      }),
      sdk('v2', { ...app(), bk_token: token }, 'cc', 'search_business', {
        data: { bk_supplier_account: '0' },
        test_env: true,
      }),
    ]);
    expect(mixed!.body).toMatchObject({ ...OK_V2, data: { bk_username: 'admin' } });
    expect(cc!.body).toMatchObject({ ...OK_V2, message: 'echo', data: { url: '/api/v3/biz/search/0' } });
    const seen = env.testBackend.seen.slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers['x-bkapi-authorization']).toBeUndefined();
    expect(seen[0]!.headers['bk-username']).toBe('admin');
    expect(JSON.stringify(seen[0])).not.toContain(env.app.secret);
    expect(JSON.stringify(seen[0])).not.toContain(token);
  });
});

const legacy = (method: 'GET' | 'POST', path: string, params: object, extra: object = {}) => ({
  kind: 'legacy',
  method,
  path: `/api/c/compapi${path}`,
  params,
  ...extra,
});

describe('the legacy vendored SDK (parameter credentials), through the real nginx template', () => {
  it('GET with credentials in the query and POST with a JSON body sent without Content-Type, v1 and v2', async () => {
    const [g2, g1, p2, p1, wl] = await drive([
      legacy('GET', '/v2/bk_login/get_user/', { ...app(), bk_token: token }),
      legacy('GET', '/bk_login/get_user/', { ...app(), bk_token: token }),
      legacy('POST', '/v2/bk_login/get_batch_users/', {
        ...app(),
        bk_token: token,
        bk_username_list: ['admin'],
      }),
      legacy('POST', '/bk_login/get_batch_user/', { ...app(), bk_token: token, username_list: ['admin'] }),
      legacy('POST', '/bk_login/get_user/', { ...account(), bk_username: 'admin' }),
    ]);
    expect(g2!.body).toMatchObject({ ...OK_V2, data: { bk_username: 'admin', bk_role: 1 } });
    expect(g1!.body).toMatchObject({ ...OK_V1, data: { username: 'admin', role: '1' } });
    expect(p2!.content_type_sent).toBeNull();
    expect(p2!.body).toMatchObject({ ...OK_V2, data: { admin: { bk_username: 'admin', bk_role: 1 } } });
    expect(p1!.content_type_sent).toBeNull();
    expect(p1!.body).toMatchObject({ ...OK_V1, data: { admin: { username: 'admin', role: '1' } } });
    expect(wl!.body).toMatchObject({ ...OK_V1, data: { username: 'admin' } });
  });

  it('serves the other bk_login and bk_paas components in v1 and v2 form, with their documented errors', async () => {
    const q = { ...app(), bk_token: token };
    const [all1, all2, info1, info2, noUser1, noUser2, badRole] = await drive([
      legacy('GET', '/bk_login/get_all_user/', { ...q, role: '1' }),
      legacy('GET', '/v2/bk_login/get_all_users/', { ...q, bk_role: '1' }),
      legacy('GET', '/bk_paas/get_app_info/', { ...q, target_app_code: env.app.code }),
      legacy('GET', '/v2/bk_paas/get_app_info/', { ...q, target_app_code: env.app.code, fields: 'creator' }),
      legacy('GET', '/bk_login/get_user/', { ...q, username: 'ghost' }),
      legacy('GET', '/v2/bk_login/get_user/', { ...q, bk_username: 'ghost' }),
      legacy('GET', '/v2/bk_login/get_all_users/', { ...q, bk_role: '9' }),
    ]);
    expect(all1!.body).toMatchObject({ ...OK_V1, data: [{ username: 'admin', role: '1' }] });
    expect(all2!.body).toMatchObject({ ...OK_V2, data: [{ bk_username: 'admin', bk_role: 1 }] });
    expect(info1!.body).toMatchObject({ ...OK_V1, data: [{ app_code: env.app.code, app_name: 'Demo' }] });
    expect(info2!.body).toMatchObject({
      ...OK_V2,
      data: [{ bk_app_code: env.app.code, bk_app_name: 'Demo', creator: 'admin' }],
    });
    expect(noUser1!.body).toMatchObject({ result: false, code: '1201', message: /ghost/ });
    expect(noUser2!.body).toMatchObject({ result: false, code: 1302102, message: /ghost/ });
    expect(badRole!.body).toMatchObject({ result: false, code: 1302101, message: /bk_role must be 0 to 4/ });
  });

  it('refuses a wrong secret and reports an unknown component as envelopes', async () => {
    const [wrong, unknown] = await drive([
      legacy('GET', '/v2/bk_login/get_user/', { ...app(), bk_app_secret: 'wrong', bk_token: token }),
      legacy('POST', '/v2/nothing/here/', { ...app(), bk_token: token }),
    ]);
    expect(wrong).toMatchObject({ status: 200, body: { result: false, code: 1306000 } });
    expect(unknown).toMatchObject({ status: 200, body: { result: false, code: 1306404 } });
  });

  it('signature mode (GET and POST, v1 and v2): accepted once, the replayed request refused', async () => {
    const sign = { sign: env.app.secret, replays: 1 };
    const outs = await drive([
      legacy('GET', '/v2/bk_login/get_user/', { ...app(), bk_token: token }, sign),
      legacy('GET', '/bk_login/get_user/', { ...app(), bk_token: token }, sign),
      legacy(
        'POST',
        '/v2/bk_login/get_batch_users/',
        { ...app(), bk_token: token, bk_username_list: ['admin'] },
        sign,
      ),
      legacy(
        'POST',
        '/bk_login/get_batch_user/',
        { ...app(), bk_token: token, username_list: ['admin'] },
        sign,
      ),
    ]);
    for (const o of outs) {
      const [first, replay] = o.replies!;
      expect(first!.body).toMatchObject({ result: true });
      expect(replay!.body).toMatchObject({ result: false, code: 1306000, data: null });
      expect(replay!.body.message).toMatch(/replayed request/);
    }
    const [wrongKey, stale] = await drive([
      legacy('GET', '/v2/bk_login/get_user/', { ...app(), bk_token: token }, { sign: 'not-the-secret' }),
      legacy(
        'GET',
        '/v2/bk_login/get_user/',
        { ...app(), bk_token: token },
        {
          sign: env.app.secret,
          timestamp: Math.floor(Date.now() / 1000) - 400,
        },
      ),
    ]);
    expect(wrongKey!.body.message).toMatch(/signature verification failed/);
    expect(stale!.body.message).toMatch(/bk_timestamp is \d+ s away/);
  });

  it('answers a body over 8 MiB at the front door with the ESB envelope, not an HTML page', async () => {
    const r = await fetch(`${endpoint}/api/c/compapi/v2/bk_login/get_batch_users/`, {
      method: 'POST',
      body: 'x'.repeat(8 * 1024 * 1024 + 1),
    });
    expect(r.status).toBe(413);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await r.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      result: false,
      code: 1306000,
      data: null,
      message: /larger than 8388608 bytes/,
    });
    expect(body.request_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('left no secret, token or signature in the ESB logs', async () => {
    await new Promise((r) => setTimeout(r, 300)); // API lines are flushed every 100 ms
    const files = await readdir(env.logDir);
    expect(files).toContain('esb_api.log');
    const text = (await Promise.all(files.map((f) => readFile(join(env.logDir, f), 'utf8')))).join('\n');
    expect(text).toContain(env.account.code);
    for (const secret of [env.app.secret, env.account.token, squatter.secret, token])
      expect(text).not.toContain(secret);
    expect(text).not.toMatch(/(bk_signature|bk_app_secret|bk_token)=|x-bkapi-authorization/i);
  });
});
