// The real module steps on this machine: a real nginx under a real supervisord, real HTTP backends.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalHost, localHost } from '../../../test/support/engine';
import { failureText } from '../../../test/support/events';
import { freePort } from '../../../test/support/ports';
import { nginxModule } from '.';

let host: LocalHost;
const servers: Server[] = [];
const FQDN = 'paas.bkcec.test';
const sh = (cmd: string) => execFileSync('bash', ['-c', cmd], { encoding: 'utf8' });
const nginxPid = () =>
  sh(`supervisorctl -c ${host.installPath}/etc/supervisord.conf pid nginx:nginx-nginx || true`).trim();

interface Reply {
  status: number;
  body: string;
}

/** An HTTP request to the nginx under test with a chosen Host header. */
function get(path: string, hostHeader = FQDN, body?: Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: Number(host.vars.DEFAULT_HTTP_PORT),
        path,
        method: body ? 'POST' : 'GET',
        headers: { Host: hostHeader },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A backend answering with who it is and what it received. */
function backend(name: string, ip: string, port: number): Promise<void> {
  const s = createServer((req, res) => {
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
    });
    req.on('end', () => res.end(JSON.stringify({ name, ip, url: req.url, headers: req.headers, size })));
  });
  servers.push(s);
  return new Promise((r) => s.listen(port, ip, () => r()));
}

beforeAll(async () => {
  const port = String(await freePort());
  const ports = {
    APPENGINE_PORT: await freePort(),
    PAAS_PORT: await freePort(),
    ESB_PORT: await freePort(),
    LOGIN_PORT: await freePort(),
  };
  // .2 never answers: every request first fails over
  host = localHost(
    nginxModule,
    {
      DEFAULT_HTTP_PORT: port,
      PAAS_HTTP_PORT: port,
      PAAS_FQDN: FQDN,
      PAAS_HOST: 'paas.service.consul',
      HTTP_SCHEMA: 'http',
      HAS_DNS_SERVER: '0',
      NGINX_IP: '127.0.0.1',
      APP_NGINX_PORT: '8010',
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    },
    { paas: ['127.0.0.2', '127.0.0.1'] },
  );
});
afterAll(async () => {
  host?.cleanup();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

describe('nginx module on a local host', () => {
  it('installs and starts; serves miniweb; 502 for the PaaS while no paas runs; a re-run changes nothing', async () => {
    const install = await host.run('install');
    expect(install.ok, failureText(install.events)).toBe(true);
    const start = await host.run('start');
    expect(start.ok, failureText(start.events)).toBe(true);
    expect((await host.run('install')).changed).toEqual([]);
    expect((await host.run('start')).changed).toEqual([]);

    mkdirSync(`${host.installPath}/miniweb/download`, { recursive: true });
    writeFileSync(`${host.installPath}/miniweb/download/agent.sh`, 'echo hello\n');
    expect(await get('/download/agent.sh', '10.9.9.9')).toEqual({ status: 200, body: 'echo hello\n' });
    expect((await get('/', '10.9.9.9')).status).toBe(404);
    expect((await get('/')).status).toBe(502);
    const status = await host.run('status');
    expect(status.ok, failureText(status.events)).toBe(true);
  });

  it('routes the front door as open_paas expects, failing over past a dead paas host', async () => {
    for (const [name, portVar] of [
      ['appengine', 'APPENGINE_PORT'],
      ['paas', 'PAAS_PORT'],
      ['esb', 'ESB_PORT'],
      ['login', 'LOGIN_PORT'],
    ] as const) {
      await backend(name, '127.0.0.1', Number(host.vars[portVar]));
    }
    const json = async (path: string, body?: Buffer) => {
      const r = await get(path, FQDN, body);
      expect(r.status, r.body).toBe(200);
      return JSON.parse(r.body);
    };
    const root = await json('/some/page?a=1');
    expect(root).toMatchObject({ name: 'paas', url: '/some/page?a=1' });
    expect(root.headers.host).toBe(FQDN);
    expect(root.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(await json('/login/accounts/is_login/?bk_token=t')).toMatchObject({
      name: 'login',
      url: '/accounts/is_login/?bk_token=t',
    });
    const esb = await json('/api/c/compapi/v2/bk_login/get_user/?x=%2F1');
    expect(esb).toMatchObject({ name: 'esb', url: '/c/compapi/v2/bk_login/get_user/?x=%2F1' });
    expect(esb.headers['x-request-uri']).toBe('/api/c/compapi/v2/bk_login/get_user/?x=%2F1');
    expect(await json('/v1/apps/demo/releases/')).toMatchObject({
      name: 'appengine',
      url: '/v1/apps/demo/releases/',
    });
    expect(await json('/console/')).toMatchObject({ name: 'paas', url: '/console/' });
    expect(await json('/doc/index.html')).toMatchObject({ name: 'paas', url: '/static/doc/index.html' });
    // bodies up to what paas takes (platform/paas/common/http/limits.ts), not more
    expect(await json('/upload/', Buffer.alloc(4 * 1024 * 1024))).toMatchObject({
      name: 'paas',
      size: 4 * 1024 * 1024,
    });
    expect((await get('/upload/', FQDN, Buffer.alloc(4 * 1024 * 1024 + 1))).status).toBe(413);
  });

  it('logs no secret query value, in a 0750 folder of 0640 files', async () => {
    const secrets = ['S3cr3tA', 'T0kenB', 'S1gC', 'AppS3cD', 'T0kenE', 'Enc0dedF', 'Fift4G'];
    const [a, b, c, d, e, f, g] = secrets;
    const paths = [
      `/api/c/compapi/v2/bk_login/get_user/?bk_app_code=demo&bk_app_secret=${a}&bk_token=${b}`,
      `/api/x/?BK_SIGNATURE=${c}&app_secret=${d}&keep=visible1`,
      `/login/?bk_token=x1&bk_token=x2&bk_token=x3&bk_token=x4&bk_token=${e}`,
      `/o/demo/?bk%5Ftoken=${f}&keep=visible2`,
      `/?a=1&access_token=${g}`,
    ];
    for (const p of paths) await get(p);
    const log = `${host.installPath}/logs/nginx/access.log`;
    const text = readFileSync(log, 'utf8');
    for (const s of secrets) expect(text).not.toContain(s);
    expect(text).toContain('bk_app_code=demo&bk_app_secret=***&bk_token=***');
    expect(text).toContain('keep=visible1');
    expect(text).toContain('/o/demo/?[query redacted]');
    expect(sh(`stat -c %a ${host.installPath}/logs/nginx ${log}`).split('\n').slice(0, 2)).toEqual([
      '750',
      '640',
    ]);
  });

  it('never starts a config nginx -t refuses; a changed variable is applied by install and the next start', async () => {
    const pid = nginxPid();
    const broken = `${host.installPath}/etc/nginx/broken.conf`;
    writeFileSync(broken, 'server { listen nonsense; }\n');
    const refused = await host.run('start');
    expect(refused.ok).toBe(false);
    expect(failureText(refused.events)).toMatch(/nginx -t refused/);
    expect(nginxPid()).toBe(pid);
    rmSync(broken);

    host.vars.PAAS_FQDN = 'paas2.bkcec.test';
    expect((await host.run('install')).changed).toEqual(['install:config', 'install:miniweb']); // platform.env names it too
    expect(nginxPid()).toBe(pid);
    // A changed config is reloaded, not restarted: the master stays, new workers serve the new name.
    expect((await host.run('start')).changed).toEqual(['start:reload']);
    expect(nginxPid()).toBe(pid);
    expect((await get('/', 'paas2.bkcec.test')).status).toBe(200);
    expect(readFileSync(`${host.installPath}/etc/nginx/paas.conf`, 'utf8')).toContain(
      'server_name paas2.bkcec.test',
    );

    expect((await host.run('stop')).changed).toEqual(['stop:stop']);
    expect((await host.run('stop')).changed).toEqual([]);
    expect(nginxPid()).toBe('0');
  });
});
