import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHeaders, call, finalEvent } from '../../test/support/agent/engine';
import {
  type AgentHost,
  bareRepo,
  sampleApp,
  startAgentHost,
  startGitDaemon,
} from '../../test/support/agent/host';
import { type PaasDeps, startPaasDeps } from '../../test/support/paas';
import { tempDir } from '../../test/support/ports';
import { buildAppengineApp } from '../paas/appengine/app';
import { enroll } from './enroll';
import { JobRunner } from './jobs/queue';
import { buildAgentServer } from './server';

const sh = promisify(execFile);
let deps: PaasDeps;
let engine: FastifyInstance;
let base: string;
let t: AgentHost;
let p: AgentHost;
let spare: FastifyInstance;
let spareCfg: AgentHost['cfg'];
let pkgServer: Server;
let root: string;
let admin: Record<string, string>;
let token: string;
let git: Awaited<ReturnType<typeof startGitDaemon>>;
const ids: Record<string, number> = {};

const envs = (mode: string) => ({
  APP_ID: 'demo',
  APP_TOKEN: token,
  BK_PAAS_HOST: 'http://paas.bking.com',
  BK_PAAS_INNER_HOST: 'http://paas.service.consul:80',
  BKAPP_GREETING: `hello ${mode}`,
});
const deploy = (mode: string, body: Record<string, unknown>, code = 'demo', tok = token) =>
  call(base, `/v1/apps/${code}/${mode}/releases/`, { json: body, headers: appHeaders(code, tok) });
const web = (h: AgentHost, path: string) => call(`http://127.0.0.1:${h.webPort}`, path);

beforeAll(async () => {
  deps = await startPaasDeps();
  engine = buildAppengineApp({ config: deps.config, db: deps.db, log: false });
  base = await engine.listen({ host: '127.0.0.1', port: 0 });
  [t, p] = await Promise.all([startAgentHost('test', base), startAgentHost('prod', base)]);
  spareCfg = { ...t.cfg, sid: crypto.randomUUID(), token: crypto.randomUUID() };
  spare = buildAgentServer(spareCfg, new JobRunner(spareCfg));
  await spare.listen({ host: '127.0.0.1', port: 0 });
  root = await tempDir('agent-repos');
  git = await startGitDaemon(root);
  admin = { 'x-app-code': 'bk_paas', 'x-app-token': deps.config.secrets.ESB_TOKEN };
  token = (
    await call(base, '/v1/apps/', {
      json: { app_code: 'demo', name: 'Demo', app_lang: 'nodejs' },
      headers: admin,
    })
  ).body.data.token;
});
afterAll(async () => {
  await spare?.close();
  await git?.stop();
  pkgServer?.close();
  await Promise.all([t?.stop(), p?.stop()]);
  await engine?.close();
  await deps?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('agent API', () => {
  it('needs its server id and token; answers healthz with its MAC and mode', async () => {
    const a = `http://127.0.0.1:${t.agentPort}`;
    expect((await call(a, '/healthz')).body).toBe('alive');
    expect(await call(a, '/v1/app/healthz')).toMatchObject({ status: 403, body: { error: 20100 } });
    expect(
      (await call(a, '/v1/app/healthz', { headers: { 'x-id': t.cfg.sid, 'x-token': 'wrong-token-123456' } }))
        .status,
    ).toBe(403);
    const ok = await call(a, '/v1/app/healthz', { headers: { 'x-id': t.cfg.sid, 'x-token': t.cfg.token } });
    expect(ok.body).toMatchObject({ error: 0, mode: 'test' });
    expect(ok.body.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    const h = { 'x-id': t.cfg.sid, 'x-token': t.cfg.token };
    const wrongMode = await call(a, '/v1/app/online', {
      headers: h,
      json: {
        app_code: 'demo',
        event_id: crypto.randomUUID(),
        mode: 'prod',
        deploy_vars: { VCS_PATH: 'git://127.0.0.1/x.git' },
      },
    });
    expect(wrongMode).toMatchObject({
      status: 400,
      body: { error: 1, msg: 'this agent serves test apps, got a prod job' },
    });
    expect(
      (await call(a, '/v1/app/online', { headers: h, json: { app_code: 'Bad!', mode: 'test' } })).body.msg,
    ).toMatch(/^app_code: expected/);
  });
});

describe('servers', () => {
  it('refuses a deploy while no test server is active, with a failed event saying so', async () => {
    const r = await deploy('test', {
      envs: envs('test'),
      deploy_vars: { VCS_TYPE: 'git', VCS_PATH: '/nowhere' },
    });
    expect(r.body).toMatchObject({ result: false, data: { error_code: 1 } });
    const ev = await finalEvent(base, 'demo', token, r.body.data.event_id);
    expect(ev).toMatchObject({ status: 'FAILURE', event_type: 'app.test.deploy' });
    expect(ev.logs).toMatch(/no test server available/);
  });

  it('registers servers only for the platform, and keeps one active server per environment', async () => {
    const reg = (json: Record<string, unknown>, headers = admin) =>
      call(base, '/v1/agents/', { json, headers });
    expect((await reg({ agent_ip: '127.0.0.1', mode: 'test' }, {})).status).toBe(403);
    expect((await reg({ agent_ip: '127.0.0.1', mode: 'dev' })).body.message).toMatch(/^mode: expected test/);
    const add = async (name: string, h: { cfg: AgentHost['cfg'] }, port: number, mode: string) => {
      const r = await reg({
        name,
        agent_ip: '127.0.0.1',
        agent_port: port,
        web_port: 8085,
        mode,
        s_id: h.cfg.sid,
        token: h.cfg.token,
      });
      expect(r.body).toMatchObject({ result: true, data: { is_active: false, sid: h.cfg.sid } });
      ids[name] = r.body.data.id;
    };
    await add('t1', t, t.agentPort, 'test');
    await add('t2', { cfg: spareCfg }, Number(new URL(spare.listeningOrigin).port), 'test');
    await add('p1', p, p.agentPort, 'prod');
    const activate = (name: string, headers = admin) =>
      call(base, `/v1/agents/${ids[name]}/`, { method: 'PUT', headers });
    expect((await activate('t1', {})).status).toBe(403);
    const active = async () =>
      (await call(base, '/v1/agents/', { headers: admin })).body.data
        .filter((s: { is_active: boolean }) => s.is_active)
        .map((s: { name: string }) => s.name)
        .sort();
    expect((await activate('t2')).body.result).toBe(true);
    expect((await activate('t1')).body).toMatchObject({ result: true, data: { is_active: true } });
    expect(await active()).toEqual(['t1']);
    expect((await activate('t2')).body.result).toBe(true);
    expect(await active()).toEqual(['t2']);
    expect((await activate('t1')).body.result).toBe(true);
    expect((await activate('p1')).body.result).toBe(true);
    expect(await active()).toEqual(['p1', 't1']);
    // a server whose agent has other credentials cannot be activated
    const bad = await reg({
      name: 'bad',
      agent_ip: '127.0.0.1',
      agent_port: p.agentPort,
      mode: 'prod',
      s_id: crypto.randomUUID(),
      token: crypto.randomUUID(),
    });
    const refused = await call(base, `/v1/agents/${bad.body.data.id}/`, { method: 'PUT', headers: admin });
    expect(refused.body.result).toBe(false);
    expect(refused.body.message).toMatch(/HTTP 403 error 20100/);
    expect(await active()).toEqual(['p1', 't1']);
    await reg({
      name: 't2',
      agent_ip: '127.0.0.1',
      agent_port: Number(new URL(spare.listeningOrigin).port),
      mode: 'prod',
      s_id: spareCfg.sid,
      token: spareCfg.token,
    });
    expect((await activate('t2')).body.message).toMatch(
      /expected an agent serving prod apps, found one serving test/,
    );
    expect(await active()).toEqual(['p1', 't1']);
    expect((await call(base, '/v1/healthz/')).body).toMatchObject({ result: true, data: { agents: 'ok' } });
    const health = await call(base, `/v1/agents/${p.cfg.sid}/healthz/`, { headers: admin });
    expect(health.body).toMatchObject({ result: true, data: { mac: expect.stringMatching(/:/) } });
  });
});

describe('enroll (what bkcec initdata runs on an agent host)', () => {
  it('re-registers under the configured id and activates; a wrong platform token is refused', async () => {
    const o = {
      engineUrl: base,
      esbToken: admin['x-app-token']!,
      ip: '127.0.0.1',
      agentPort: p.agentPort,
      webPort: p.webPort,
    };
    await expect(enroll(p.cfg, { ...o, esbToken: 'not-the-platform-token' })).rejects.toThrow(
      /refused the registration: expected X-APP-CODE: bk_paas/,
    );
    expect(await enroll(p.cfg, o)).toMatch(/^127.0.0.1 registered \(server \d+\) and active for prod$/);
    const list = (await call(base, '/v1/agents/', { headers: admin })).body.data as {
      sid: string;
      is_active: boolean;
      web_port: number;
    }[];
    expect(list.filter((s) => s.sid === p.cfg.sid)).toEqual([
      expect.objectContaining({ is_active: true, web_port: p.webPort }),
    ]);
    await expect(enroll(p.cfg, { ...o, engineUrl: 'http://127.0.0.1:9' })).rejects.toThrow(
      /expected appengine to answer at/,
    );
  });
});

describe('deploy to test from a bare git repository', () => {
  let repo: string;
  it('clones, starts under supervisord, routes /t/demo/ and finishes with Job Done', async () => {
    await bareRepo(root, 'demo', sampleApp());
    repo = git.url('demo');
    expect(
      (
        await deploy(
          'test',
          { envs: envs('test'), deploy_vars: { VCS_TYPE: 'git', VCS_PATH: repo } },
          'demo',
          'x'.repeat(36),
        )
      ).status,
    ).toBe(403);
    expect((await deploy('dev', {})).status).toBe(404);
    const r = await deploy('test', { envs: envs('test'), deploy_vars: { VCS_TYPE: 'git', VCS_PATH: repo } });
    expect(r.body).toMatchObject({ result: true, data: { error_code: 0 } });
    const ev = await finalEvent(base, 'demo', token, r.body.data.event_id);
    expect(ev.status).toBe('SUCCESS');
    expect(ev.logs).toMatch(/git clone/);
    expect(ev.logs).toMatch(/no dependencies in package.json: npm not needed/);
    expect(ev.logs.trim().split('\n').at(-1)).toBe('Job Done');
    expect(ev.logs).not.toContain(token);
    const page = await web(t, '/t/demo/');
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({
      APP_ID: 'demo',
      BK_PAAS_HOST: 'http://paas.bking.com',
      BK_ENV: 'testing',
      BKAPP_GREETING: 'hello test',
      path: '/t/demo/',
    });
    expect((await web(t, '/t/demo')).status).toBe(301);
    expect((await web(t, '/o/demo/')).status).toBe(404);
    const program = await readFile(join(t.dir, 'etc/supervisor.d/app-demo.conf'), 'utf8');
    expect(program).toContain('[program:app-demo-web]');
    const user = `${t.cfg.userPrefix}demo`;
    expect(program).toContain(`user=${user}`);
    const { stdout: uid } = await sh('id', ['-u', user]);
    expect(page.body.uid).toBe(Number(uid));
    expect(page.body.uid).toBeGreaterThan(0);
    expect(program).not.toContain(token);
    const info = await call(base, '/v1/apps/demo/', { headers: appHeaders('demo', token) });
    expect(info.body.data.app_envs.test).toMatchObject({ APP_ID: 'demo', BKAPP_GREETING: 'hello test' });
  });

  it('accepts event posts only from the hosting agent, and never after the end', async () => {
    const r = await deploy('test', { envs: envs('test'), deploy_vars: { VCS_TYPE: 'git', VCS_PATH: repo } });
    const id = r.body.data.event_id;
    const post = (h: Record<string, string>) =>
      call(base, `/v1/apps/demo/events/${id}/`, { json: { status: 'STARTED', log: 'x' }, headers: h });
    expect((await post({ 'x-id': t.cfg.sid, 'x-token': p.cfg.token })).status).toBe(403);
    expect((await post({ 'x-id': p.cfg.sid, 'x-token': p.cfg.token })).body.message).toMatch(
      /does not host app demo/,
    );
    expect((await finalEvent(base, 'demo', token, id)).status).toBe('SUCCESS');
    expect((await post({ 'x-id': t.cfg.sid, 'x-token': t.cfg.token })).status).toBe(409);
  });

  it('reports a failing start as a failed event with the app output, keeping the previous version', async () => {
    await bareRepo(root, 'broken', {
      ...sampleApp(),
      'index.js': "console.log('starting'); throw new Error('boom at start');\n",
    });
    const r = await deploy('test', {
      envs: envs('test'),
      deploy_vars: { VCS_TYPE: 'git', VCS_PATH: git.url('broken') },
    });
    const ev = await finalEvent(base, 'demo', token, r.body.data.event_id);
    expect(ev.status).toBe('FAILURE');
    expect(ev.logs).toMatch(/\[app\] .*boom at start/);
    expect(ev.logs).toMatch(/restoring the previous version/);
    expect(ev.logs.trim().split('\n').at(-1)).toMatch(/^Job Fail: the app did not become healthy/);
    expect((await web(t, '/t/demo/')).body.APP_ID).toBe('demo');
  });

  it("reports a failing clone as a failed event with git's message", async () => {
    const r = await deploy('test', {
      envs: envs('test'),
      deploy_vars: { VCS_TYPE: 'git', VCS_PATH: git.url('missing'), VCS_PASSWORD: 's3cret-pass' },
    });
    const ev = await finalEvent(base, 'demo', token, r.body.data.event_id);
    expect(ev.status).toBe('FAILURE');
    expect(ev.logs).toMatch(/Job Fail: git clone exited 128/);
    expect(ev.logs).not.toContain('s3cret-pass');
  });
});

describe('deploy to prod from a package, then offline', () => {
  it('downloads, checks md5, installs a local dependency with npm and serves /o/demo/', async () => {
    const dir = join(root, 'pkg/demo');
    const app = sampleApp({ VERSION: 'pkg' });
    app['package.json'] = JSON.stringify({
      name: 'sample',
      main: 'index.js',
      dependencies: { greet: 'file:./vendor/greet' },
    });
    app['vendor/greet/package.json'] = JSON.stringify({ name: 'greet', version: '1.0.0', main: 'index.js' });
    app['vendor/greet/index.js'] = 'module.exports = () => "hi";\n';
    app['index.js'] = `require('greet');\n${app['index.js']}`;
    await bareRepo(root, 'pkgsrc', app);
    await sh('git', ['clone', '--quiet', join(root, 'pkgsrc.git'), dir]);
    await sh('tar', ['-czf', join(root, 'demo.tar.gz'), '--exclude=.git', '-C', join(root, 'pkg'), 'demo']);
    const tgz = await readFile(join(root, 'demo.tar.gz'));
    pkgServer = createServer((_req, res) => res.end(tgz));
    await new Promise<void>((res) => pkgServer.listen(0, '127.0.0.1', res));
    const url = `http://127.0.0.1:${(pkgServer.address() as { port: number }).port}/demo.tar.gz`;
    const bad = await deploy('prod', {
      envs: envs('prod'),
      is_saas: true,
      saas_settings: { url, md5: '0'.repeat(32) },
    });
    expect((await finalEvent(base, 'demo', token, bad.body.data.event_id)).logs).toMatch(
      /package md5 mismatch/,
    );
    const md5 = createHash('md5').update(tgz).digest('hex');
    const r = await deploy('prod', { envs: envs('prod'), is_saas: true, saas_settings: { url, md5 } });
    const ev = await finalEvent(base, 'demo', token, r.body.data.event_id, 120_000);
    expect(ev.status, ev.logs).toBe('SUCCESS');
    expect(ev.logs).toMatch(/npm install --omit=dev/);
    expect((await web(p, '/o/demo/')).body).toMatchObject({
      APP_ID: 'demo',
      BK_ENV: 'production',
      VERSION: 'pkg',
    });
  });

  it('offline test removes the test app only; offline prod then answers 404 too', async () => {
    const off = await call(base, '/v1/apps/demo/test/releases/', {
      method: 'DELETE',
      headers: appHeaders('demo', token),
    });
    expect(off.body.result).toBe(true);
    const ev = await finalEvent(base, 'demo', token, off.body.data.event_id);
    expect(ev).toMatchObject({ status: 'SUCCESS', event_type: 'app.test.offline' });
    expect((await web(t, '/t/demo/')).status).toBe(404);
    expect(await readdir(join(t.dir, 'etc/supervisor.d'))).toEqual([]);
    expect(await readdir(t.cfg.appsDir)).not.toContain('demo');
    expect((await web(p, '/o/demo/')).status).toBe(200);
    const off2 = await call(base, '/v1/apps/demo/prod/releases/', {
      method: 'DELETE',
      headers: appHeaders('demo', token),
    });
    expect((await finalEvent(base, 'demo', token, off2.body.data.event_id)).status).toBe('SUCCESS');
    expect((await web(p, '/o/demo/')).status).toBe(404);
  });
});
