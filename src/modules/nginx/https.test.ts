// HTTP_SCHEMA=https on a real nginx under a real supervisord: the certificate bkcec makes (trusted
// through its front-door CA), PAAS_FQDN over http redirected, the internal name kept on http.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalHost, localHost } from '../../../test/support/engine';
import { failureText } from '../../../test/support/events';
import { freePort } from '../../../test/support/ports';
import { probe } from '../paas/health';
import { nginxModule } from '.';

const FQDN = 'paas.bkcec.test';
let host: LocalHost;
let backend: Server;
let seen: Record<string, string | string[] | undefined> = {};

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  peer?: string;
}

function get(tls: boolean, port: number, hostHeader: string, path = '/x?y=1'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const o = { host: '127.0.0.1', port, path, headers: { Host: hostHeader }, agent: false };
    const done = (res: import('node:http').IncomingMessage) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        const peer = tls ? (res.socket as TLSSocket).getPeerX509Certificate?.()?.subjectAltName : undefined;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, peer });
      });
    };
    const req = tls
      ? httpsRequest(
          {
            ...o,
            servername: FQDN,
            ca: readFileSync(join(host.root, 'ctrl', 'cert', 'https', 'front-ca.crt')),
          },
          done,
        )
      : httpRequest(o, done);
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  const [http, https, paasPort] = [await freePort(), await freePort(), await freePort()];
  backend = createServer((req, res) => {
    seen = req.headers;
    res.end('from paas');
  });
  await new Promise<void>((r) => backend.listen(paasPort, '127.0.0.1', () => r()));
  host = localHost(
    nginxModule,
    {
      DEFAULT_HTTP_PORT: String(http),
      PAAS_HTTP_PORT: String(http),
      PAAS_HTTPS_PORT: String(https),
      PAAS_FQDN: FQDN,
      PAAS_DOMAIN: `${FQDN}:${https}`,
      PAAS_HOST: 'paas.service.consul',
      HTTP_SCHEMA: 'https',
      HAS_DNS_SERVER: '0',
      NGINX_IP: '127.0.0.1',
      APP_NGINX_PORT: '8010',
      APPENGINE_PORT: String(await freePort()),
      PAAS_PORT: String(paasPort),
      ESB_PORT: String(await freePort()),
      LOGIN_PORT: String(await freePort()),
    },
    { paas: ['127.0.0.1'] },
  );
});
afterAll(async () => {
  host?.cleanup();
  await new Promise((r) => backend?.close(r));
});

describe('the front door with HTTP_SCHEMA=https', () => {
  it('serves the site over TLS with the certificate bkcec made, redirects PAAS_FQDN from http, keeps the internal name on http', async () => {
    for (const c of ['install', 'start'] as const) {
      const r = await host.run(c);
      expect(r.ok, failureText(r.events)).toBe(true);
    }
    const https = Number(host.vars.PAAS_HTTPS_PORT);
    const http = Number(host.vars.PAAS_HTTP_PORT);
    const tls = await get(true, https, FQDN);
    expect([tls.status, tls.body]).toEqual([200, 'from paas']);
    expect(tls.peer).toContain(`DNS:${FQDN}`);
    expect(seen['x-forwarded-proto']).toBe('https');
    // The deploy's front-door gate speaks https too (plain http for PAAS_FQDN is only a redirect).
    expect((await probe(`https://127.0.0.1:${https}/healthz/`, FQDN)).status).toBe(200);

    const redirect = await get(false, http, FQDN.toUpperCase(), '/login/?c_url=%2Fapp%2F');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe(`https://${FQDN}:${https}/login/?c_url=%2Fapp%2F`);
    const inner = await get(false, http, 'paas.service.consul');
    expect([inner.status, inner.body]).toEqual([200, 'from paas']);
    expect(seen['x-forwarded-proto']).toBe('http');

    const stat = (p: string) => execFileSync('stat', ['-c', '%a', p], { encoding: 'utf8' }).trim();
    expect(stat(`${host.installPath}/etc/nginx/ssl/paas.key`)).toBe('600');
    expect(stat(join(host.root, 'ctrl', 'cert', 'https', 'paas.key'))).toBe('600');
    expect(stat(join(host.root, 'ctrl', 'cert', 'https', 'front-ca.key'))).toBe('600');
    expect((await host.run('install')).changed).toEqual([]);
  });
});
