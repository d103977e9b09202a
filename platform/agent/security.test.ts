// The agent API's own defences, against a real listening agent: credentials decided on the
// matched route (encoded and odd path forms included), callers limited to appengine's hosts,
// only remote git URLs, a LAN address to listen on.
import { chown, lstat, mkdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/ports';
import { type AgentConfig, parseAgentConfig } from './config';
import { JobRunner } from './jobs/queue';
import { parseJob, remoteGitUrl } from './jobs/request';
import { rootDir } from './runtime/owned';
import { buildAgentServer } from './server';

const cfgOf = (over: Record<string, unknown> = {}): AgentConfig =>
  parseAgentConfig(
    {
      sid: crypto.randomUUID(),
      token: crypto.randomUUID(),
      controllerUrl: 'http://127.0.0.1:9',
      mode: 'test',
      listen: { host: '127.0.0.1', port: 0 },
      allowFrom: ['127.0.0.1'],
      appsDir: '/nonexistent/apps',
      logDir: '/nonexistent/logs',
      nodeBin: process.execPath,
      supervisor: { conf: '/nonexistent/s.conf', includeDir: '/nonexistent/s.d' },
      nginx: { conf: '/nonexistent/n.conf', includeDir: '/nonexistent/n.d', port: 9 },
      ...over,
    },
    'test',
  );

/** A raw HTTP/1.1 request (fetch would normalise the path); returns status and body. */
async function raw(port: number, method: string, path: string, headers: Record<string, string> = {}) {
  const net = await import('node:net');
  const body = '{"app_code":"demo","event_id":"00000000-0000-4000-8000-000000000000","mode":"test"}';
  const head = [
    `${method} ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Connection: close',
    'Content-Type: application/json',
    `Content-Length: ${body.length}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.end(`${head.join('\r\n')}\r\n\r\n${body}`));
    let out = '';
    s.on('data', (d) => (out += d.toString()));
    s.on('error', reject);
    s.on('close', () => resolve({ status: Number(out.split(' ')[1]), text: out.split('\r\n\r\n')[1] ?? '' }));
  });
}

describe('agent API authentication', () => {
  const submitted: string[] = [];
  let port: number;
  let close: () => Promise<void>;
  let cfg: AgentConfig;
  beforeAll(async () => {
    cfg = cfgOf();
    const jobs = new JobRunner(cfg);
    jobs.submit = async (kind, job) => {
      submitted.push(`${kind} ${job.app_code}`);
    };
    const app = buildAgentServer(cfg, jobs);
    port = Number(new URL(await app.listen({ host: '127.0.0.1', port: 0 })).port);
    close = () => app.close();
  });
  afterAll(() => close?.());

  it.each([
    '/v1/app/online',
    '/%761/app/online',
    '/v1%2Fapp%2Fonline',
    '/v1/app%2Fonline',
    '//v1/app/online',
    '/v1//app/online',
    '/v1/app/../app/online',
    '/v1/./app/online',
    '/V1/app/online',
    '/v1/app/online/',
    '/v1/app/online?x=1',
    '/v1/app/%6fnline',
    '/v1/app/offline',
    '/%76%31/app/offline',
  ])('POST %s without credentials never reaches a handler', async (path) => {
    const r = await raw(port, 'POST', path);
    expect([403, 404]).toContain(r.status);
    if (r.status === 403) expect(JSON.parse(r.text)).toMatchObject({ error: 20100 });
    expect(submitted).toEqual([]);
  });

  it('the same encoded path with credentials reaches the handler (the router decodes it)', async () => {
    const h = { 'X-ID': cfg.sid, 'X-TOKEN': cfg.token };
    const r = await raw(port, 'POST', '/%761/app/offline', h);
    expect(r.status).toBe(200);
    expect(submitted).toEqual(['offline demo']);
  });

  it('refuses the right credentials from an address that is not an appengine host', async () => {
    const other = cfgOf({ allowFrom: ['10.255.255.1'] });
    const app = buildAgentServer(other, new JobRunner(other));
    const p = Number(new URL(await app.listen({ host: '127.0.0.1', port: 0 })).port);
    const r = await raw(p, 'GET', '/v1/app/healthz', { 'X-ID': other.sid, 'X-TOKEN': other.token });
    await app.close();
    expect(r.status).toBe(403);
  });
});

describe('agent config and jobs', () => {
  it('listens on a LAN address only', () => {
    expect(() => cfgOf({ listen: { host: '0.0.0.0', port: 4245 } })).toThrow(/not the wildcard/);
    expect(() => cfgOf({ listen: { host: '::', port: 4245 } })).toThrow(/LAN IPv4 address/);
    expect(() => cfgOf({ allowFrom: [] })).toThrow(/allowFrom/);
  });

  it.each([
    'file:///etc',
    'file://localhost/srv/repo.git',
    '/srv/repo.git',
    './repo',
    '../repo.git',
    'ext::sh -c id',
    '--upload-pack=id',
    'git://host/repo.git --upload-pack=id',
    'http://host/repo\n.git',
    'fd::3',
    'host:path',
  ])('refuses the git URL %j', (url) => {
    expect(remoteGitUrl(url)).toBe(false);
    const j = parseJob(
      {
        app_code: 'demo',
        event_id: '00000000-0000-4000-8000-000000000000',
        mode: 'test',
        deploy_vars: { VCS_PATH: url },
      },
      true,
    );
    expect(j).toMatch(/^deploy_vars.VCS_PATH: expected a remote git URL/);
  });

  it.each([
    'https://git.example.com/team/app.git',
    'git://10.0.0.1:9418/app.git',
    'ssh://git@host/app.git',
    'git@git.example.com:team/app.git',
  ])('accepts the git URL %j', (url) => expect(remoteGitUrl(url)).toBe(true));
});

describe('folders root keeps', () => {
  it('takes back an app folder the shared apps user held before, never through a link', async () => {
    const d = await tempDir('owned');
    try {
      const home = join(d, 'demo');
      await mkdir(home);
      await chown(home, 65534, 65534);
      await expect(rootDir(home, 0o755)).rejects.toThrow(/owned by the agent's user/);
      await rootDir(home, 0o755, true);
      expect((await lstat(home)).uid).toBe(0);
      const target = join(d, 'elsewhere');
      await mkdir(target);
      await chown(target, 65534, 65534);
      await symlink(target, join(d, 'linked'));
      await expect(rootDir(join(d, 'linked'), 0o755, true)).rejects.toThrow(/not a link/);
      expect((await lstat(target)).uid).toBe(65534);
    } finally {
      await rm(d, { recursive: true, force: true });
    }
  });
});
