// Body limits, front door and programs alike: the real nginx vhost from the template refuses a
// body one byte over what the location's upstream takes (the upstream never sees it) and passes
// one at the limit; each program refuses one byte over its own limit.
import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS as PACKAGE } from '../../platform/paas/appengine/saas/validate';
import { PROGRAMS, parseConfig } from '../../platform/paas/common/config/config';
import { BODY_LIMITS, PACKAGE_UPLOAD_LIMIT } from '../../platform/paas/common/http/limits';
import { createApp } from '../../platform/paas/common/http/server';
import { MAX_BODY } from '../../platform/paas/esb/http';
import { vhostVars } from '../../src/modules/nginx/vhost';
import { renderTemplate } from '../../src/render/index';
import { startNginx } from '../support/nginx';
import { placementOf } from '../support/placement';

const TEMPLATE = 'src/modules/nginx/templates/#etc#nginx#paas.conf.tpl';
const servers: Server[] = [];
const seen: Record<string, number[]> = {};
let stopNginx: () => Promise<void> = async () => {};
let front = 0;

/** A back end recording the size of each body it received. */
async function backend(name: string): Promise<number> {
  seen[name] = [];
  const s = createServer((req, res) => {
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
    });
    req.on('end', () => {
      seen[name]!.push(size);
      res.end('{}');
    });
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
}

/** POST `size` bytes (only announced in Content-Length when `announceOnly`: nginx answers before reading). */
function post(port: number, path: string, size: number, announceOnly = false): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { host: 'paas.bking.com', 'content-length': size },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    if (announceOnly) req.flushHeaders();
    else req.end(Buffer.alloc(size, 'a'));
  });
}

beforeAll(async () => {
  const ports: Record<string, string> = {};
  for (const p of PROGRAMS) ports[`${p.toUpperCase()}_PORT`] = String(await backend(p));
  ports.APP_NGINX_PORT = String(await backend('app'));
  const ip = '127.0.0.1';
  const v: Record<string, string> = {
    HTTP_SCHEMA: 'http',
    ...ports,
    PAAS_IP: ip,
    PAAS_APPENGINE_IP: ip,
    PAAS_PAAS_IP: ip,
    PAAS_ESB_IP: ip,
    PAAS_LOGIN_IP: ip,
    APPO_IP: ip,
    ESB_TOKEN: 'e'.repeat(32),
    PAAS_FQDN: 'paas.bking.com',
    PAAS_HOST: 'paas.bking.com',
  };
  const nginx = await startNginx((port) => {
    const all = { ...v, PAAS_HTTP_PORT: String(port) };
    return renderTemplate(readFileSync(TEMPLATE, 'utf8'), {
      ...all,
      ...vhostVars(all, placementOf({ paas: [ip], appo: [ip] })),
    });
  });
  front = nginx.port;
  stopNginx = nginx.stop;
});
afterAll(async () => {
  await stopNginx();
  for (const s of servers) s.close();
});

const MiB = 1024 * 1024;
const cases: [string, string, number][] = [
  ['/login/', 'login', BODY_LIMITS.login],
  ['/api/c/compapi/x/', 'esb', BODY_LIMITS.esb],
  ['/v1/apps/', 'appengine', BODY_LIMITS.appengine],
  ['/app/', 'paas', BODY_LIMITS.paas],
  ['/console/', 'paas', BODY_LIMITS.paas],
];

describe('body limits', () => {
  it('ESB keeps the limit the front door assumes', () => expect(BODY_LIMITS.esb).toBe(MAX_BODY));

  it.each(cases)(
    'the front door passes %s at its upstream limit and refuses one byte more',
    async (path, name, limit) => {
      const before = seen[name]!.length;
      expect(await post(front, path, limit)).toBe(200);
      expect(seen[name]!.slice(before)).toEqual([limit]);
      expect(await post(front, path, limit + 1)).toBe(413);
      expect(seen[name]!.length).toBe(before + 1);
    },
  );

  it('S-mart uploads get what their routes take, no more', async () => {
    expect(PACKAGE_UPLOAD_LIMIT).toBeGreaterThanOrEqual(PACKAGE.packageBytes + 64 * 1024);
    expect(PACKAGE_UPLOAD_LIMIT - (PACKAGE.packageBytes + 64 * 1024)).toBeLessThan(MiB);
    for (const [path, name] of [
      ['/saas/upload/', 'paas'],
      ['/v1/saas/packages/', 'appengine'],
    ] as const) {
      const before = seen[name]!.length;
      expect(await post(front, path, 5 * MiB), path).toBe(200); // above its location's neighbours
      expect(seen[name]!.slice(before)).toEqual([5 * MiB]);
      expect(await post(front, path, PACKAGE_UPLOAD_LIMIT + 1, true), path).toBe(413);
    }
  });

  it('apps keep the 512 MiB their own nginx takes (announced size only, refused above)', async () => {
    expect(await post(front, '/o/demo/', 2 * MiB)).toBe(200); // above the 1m default
    expect(await post(front, '/o/demo/', 512 * MiB + 1, true)).toBe(413);
    expect(seen.app).toEqual([2 * MiB]);
  });

  it.each(PROGRAMS.filter((p) => p !== 'esb'))('%s refuses a body over its own limit', async (program) => {
    const config = parseConfig(
      {
        db: { host: 'db', user: 'u', password: 'p' },
        redis: { host: 'r' },
        domains: {
          PAAS_DOMAIN: 'p.bking.com',
          PAAS_INNER_DOMAIN: 'p.bking.com',
          BK_COOKIE_DOMAIN: '.bking.com',
        },
        secrets: { SECRET_KEY: 'k'.repeat(20), ESB_TOKEN: 't'.repeat(20) },
      },
      't',
    );
    const app = createApp({
      program,
      config,
      log: false,
      guards: { guards: {}, routes: { '/*': 'public' } },
    });
    app.post('/in/', async (req) => ({ size: String(req.body).length }));
    const limit = BODY_LIMITS[program];
    const send = (n: number) =>
      app.inject({
        method: 'POST',
        url: '/in/',
        headers: { 'content-type': 'text/plain' },
        payload: 'a'.repeat(n),
      });
    app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_r, b, done) => done(null, b));
    expect((await send(limit)).statusCode).toBe(200);
    expect((await send(limit + 1)).statusCode).toBe(413);
    await app.close();
  });
});
