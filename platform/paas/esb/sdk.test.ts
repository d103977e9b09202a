import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EsbEnv, startEsbEnv } from '../../../test/support/esb';
import { type Nginx, startNginx } from '../../../test/support/nginx';

let env: EsbEnv;
let nginx: Nginx;
let token: string;

beforeAll(async () => {
  env = await startEsbEnv();
  token = (await env.login.ctx.tokens.issue('admin')).token;
  const esbPort = new URL(env.esbUrl).port;
  // The front door of reference §1: /api/ → esb with the prefix removed and X-Request-Uri set.
  nginx = await startNginx(
    (port) => `upstream esb { server 127.0.0.1:${esbPort}; keepalive 16; }
    server { listen 127.0.0.1:${port};
      location ~ ^/api/(.*) { proxy_pass http://esb/$1$is_args$args; proxy_set_header X-Request-Uri $request_uri;
        proxy_http_version 1.1; proxy_set_header Connection ""; } }`,
  );
});
afterAll(async () => {
  await nginx?.stop();
  await env?.stop();
});

/**
 * What the Python SDK (`blueking/component/client.py`, through `requests`) puts on the wire:
 * GET with every parameter in the query; POST with `data=json.dumps(params)` and no
 * Content-Type header; `requests`' default headers.
 */
function sdkCall(
  method: 'GET' | 'POST',
  path: string,
  params: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const all = { bk_app_code: env.app.code, bk_app_secret: env.app.secret, bk_token: token, ...params };
  const query = method === 'GET' ? `?${new URLSearchParams(all as Record<string, string>)}` : '';
  const body = method === 'POST' ? JSON.stringify(all) : undefined;
  const headers: Record<string, string | number> = {
    'user-agent': 'python-requests/2.20.0',
    'accept-encoding': 'gzip, deflate',
    accept: '*/*',
    connection: 'keep-alive',
    'blueking-language': 'zh-cn',
  };
  if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: nginx.port, method, path: `/api/c/compapi${path}${query}`, headers },
      (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => {
          expect(res.statusCode).toBe(200);
          expect(res.headers['content-type']).toMatch(/^application\/json/);
          resolve(JSON.parse(text));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const ENVELOPE_KEYS = ['code', 'data', 'message', 'request_id', 'result'];

describe('a client calling like the Python SDK, through nginx', () => {
  it('GET bk_login.get_user with query parameters', async () => {
    const r = await sdkCall('GET', '/v2/bk_login/get_user/', {});
    expect(Object.keys(r).sort()).toEqual(ENVELOPE_KEYS);
    expect(r).toMatchObject({ result: true, code: 0, data: { bk_username: 'admin', bk_role: 1 } });
  });
  it('POST bk_login.get_batch_users with a JSON body and no Content-Type', async () => {
    const r = await sdkCall('POST', '/v2/bk_login/get_batch_users/', { bk_username_list: ['admin'] });
    expect(Object.keys(r).sort()).toEqual(ENVELOPE_KEYS);
    expect(r).toMatchObject({ result: true, code: 0, data: { admin: { bk_username: 'admin' } } });
  });
  it('POST a declarative component: forwarded, envelope mapped', async () => {
    const r = await sdkCall('POST', '/v2/cc/search_business/', {
      bk_supplier_account: '0',
      condition: { bk_biz_name: 'x' },
    });
    expect(r).toMatchObject({
      result: true,
      code: 0,
      message: 'echo',
      data: { method: 'POST', url: '/api/v3/biz/search/0' },
    });
    expect(JSON.parse((r.data as { body: string }).body)).toEqual({
      bk_supplier_account: '0',
      condition: { bk_biz_name: 'x' },
    });
  });
  it('gets the same failure envelope for a wrong secret', async () => {
    const r = await sdkCall('GET', '/v2/bk_login/get_user/', { bk_app_secret: 'wrong' });
    expect(Object.keys(r).sort()).toEqual(ENVELOPE_KEYS);
    expect(r).toMatchObject({ result: false, code: 1306000, data: null });
  });
});
