// Python apps on the agent: a plain WSGI app and a Django app from git, an S-mart package installed
// offline from its pkgs/, and the refusals (language mismatch, pip failure, config injection).
// Real appengine, MariaDB, supervisord, nginx, git daemon, Debian's python3 and pip.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHeaders, call, finalEvent } from '../../test/support/agent/engine';
import {
  type AgentHost,
  bareRepo,
  sampleApp,
  startEnrolledAgentHost,
  startGitDaemon,
} from '../../test/support/agent/host';
import { sampleFiles, tarball, wheels } from '../../test/support/agent/samples';
import { type PaasDeps, startPaasDeps } from '../../test/support/paas';
import { tempDir } from '../../test/support/ports';
import { buildAppengineApp } from '../paas/appengine/app';

const sh = promisify(execFile);
let deps: PaasDeps;
let engine: FastifyInstance;
let base: string;
let t: AgentHost;
let root: string;
let git: Awaited<ReturnType<typeof startGitDaemon>>;
const tokens: Record<string, string> = {};
const QUOTE = `it's "quoted" $HOME \`id\` \\ ; & | > <\nsecond line`;

const register = async (code: string, lang: string) => {
  const admin = { 'x-app-code': 'bk_paas', 'x-app-token': deps.config.secrets.ESB_TOKEN };
  const r = await call(base, '/v1/apps/', {
    json: { app_code: code, name: code, app_lang: lang },
    headers: admin,
  });
  tokens[code] = r.body.data.token;
};
const envs = (code: string) => ({
  APP_ID: code,
  APP_TOKEN: tokens[code]!,
  BK_PAAS_HOST: 'http://paas.bking.com',
  BK_PAAS_INNER_HOST: 'http://paas.service.consul',
  BKAPP_QUOTE: QUOTE,
});
/** Deploy `code` to test and wait for its event's end. */
async function deploy(code: string, body: Record<string, unknown>, ms = 240_000) {
  const r = await call(base, `/v1/apps/${code}/test/releases/`, {
    json: { envs: envs(code), ...body },
    headers: appHeaders(code, tokens[code]!),
  });
  expect(r.body.result, JSON.stringify(r.body)).toBe(true);
  return finalEvent(base, code, tokens[code]!, r.body.data.event_id, ms);
}
const fromGit = async (code: string, files: Record<string, string>) => {
  await bareRepo(root, code, files);
  return { deploy_vars: { VCS_TYPE: 'git', VCS_PATH: git.url(code) } };
};
const web = (path: string) => call(`http://127.0.0.1:${t.webPort}`, path);
const userOf = (code: string) => `${t.cfg.userPrefix}${code}`;

/** uid of every process of the app's web program (supervisor's pid and its children), from /proc. */
async function programUids(code: string): Promise<number[]> {
  const { stdout } = await sh('supervisorctl', [
    '-c',
    t.cfg.supervisor.conf,
    'pid',
    `app-${code}:app-${code}-web`,
  ]);
  const pid = stdout.trim();
  const kids = (await sh('pgrep', ['-P', pid]).catch(() => ({ stdout: '' }))).stdout
    .split('\n')
    .filter(Boolean);
  const uids: number[] = [];
  for (const p of [pid, ...kids]) {
    const status = await readFile(`/proc/${p}/status`, 'utf8');
    uids.push(Number(/^Uid:\s+(\d+)/m.exec(status)![1]));
  }
  return uids;
}

beforeAll(async () => {
  deps = await startPaasDeps();
  engine = buildAppengineApp({ config: deps.config, db: deps.db, log: false });
  base = await engine.listen({ host: '127.0.0.1', port: 0 });
  t = await startEnrolledAgentHost('test', base, deps.config.secrets.ESB_TOKEN, {
    jobTimeoutSec: 280,
    healthTimeoutSec: 30,
  });
  root = await tempDir('py-repos');
  git = await startGitDaemon(root);
  for (const [c, l] of [
    ['pywsgi', 'nodejs'], // labelled wrong on purpose: the build records the real language
    ['djapp', 'python'],
    ['smartpy', 'python'],
    ['wronglang', 'nodejs'],
    ['brokenpip', 'python'],
    ['evilmain', 'nodejs'],
  ])
    await register(c!, l!);
}, 60_000);
afterAll(async () => {
  await git?.stop();
  await t?.stop();
  await engine?.close();
  await deps?.stop();
});

describe('a plain WSGI app from git', () => {
  it('builds a venv with gunicorn and serves /t/pywsgi/ as its own user, env values intact', async () => {
    const ev = await deploy('pywsgi', await fromGit('pywsgi', await sampleFiles('wsgi')));
    expect(ev.status, ev.logs).toBe('SUCCESS');
    expect(ev.logs).toMatch(/language python \(requirements\.txt, wsgi\.py found\)/);
    expect(ev.logs).toMatch(/pip install gunicorn==23\.0\.0/);
    const [lang] = (await deps.db.query(
      "SELECT app_lang FROM engine_apps WHERE app_code = 'pywsgi'",
    )) as unknown as [{ app_lang: string }[]];
    expect(lang[0]!.app_lang).toBe('python');
    const page = await web('/t/pywsgi/some/where?x=1');
    expect(page.status).toBe(200);
    const { stdout: uid } = await sh('id', ['-u', userOf('pywsgi')]);
    expect(page.body).toMatchObject({
      script_name: '/t/pywsgi',
      path_info: '/some/where',
      uid: Number(uid),
      APP_ID: 'pywsgi',
      BK_ENV: 'testing',
      BKAPP_QUOTE: QUOTE,
      DB_NAME: 'bkapp_pywsgi',
      collections_callable: true,
      six: null,
    });
    expect(Number(uid)).toBeGreaterThan(0);
    // the process table: master and workers all run as the app's user
    const uids = await programUids('pywsgi');
    expect(uids.length).toBeGreaterThanOrEqual(3);
    expect(new Set(uids)).toEqual(new Set([Number(uid)]));
    // files: the app's tree is the user's, what configures it is root's
    const home = join(t.cfg.appsDir, 'pywsgi');
    const st = async (p: string) => {
      const s = await lstat(p);
      return { uid: s.uid, mode: (s.mode & 0o777).toString(8) };
    };
    expect(await st(home)).toEqual({ uid: 0, mode: '755' });
    expect(await st(join(home, 'work'))).toEqual({ uid: Number(uid), mode: '750' });
    expect((await st(join(home, 'work/code/wsgi.py'))).uid).toBe(Number(uid));
    expect(await st(join(home, 'app.env'))).toEqual({ uid: 0, mode: '640' });
    const program = await readFile(join(t.cfg.supervisor.includeDir, 'app-pywsgi.conf'), 'utf8');
    expect(program).toContain(`user=${userOf('pywsgi')}`);
    expect(program).not.toContain(tokens.pywsgi);
    expect(program).not.toContain('quoted');
  });
});

describe('a Django app from git', () => {
  let visits = 0;
  it('migrates its own MySQL database, collects static files and works under /t/djapp/', async () => {
    const ev = await deploy('djapp', await fromGit('djapp', await sampleFiles('django')));
    expect(ev.status, ev.logs).toBe('SUCCESS');
    expect(ev.logs).toMatch(/pip install -r requirements.txt/);
    expect(ev.logs).toMatch(/python manage.py migrate --noinput/);
    expect(ev.logs).toMatch(/Applying hello.0001_initial\.\.\. OK/);
    expect(ev.logs).toMatch(/python manage.py collectstatic --noinput/);
    expect(ev.logs).not.toContain(tokens.djapp);
    const page = await web('/t/djapp/');
    expect(page.body).toMatchObject({
      index: '/t/djapp/',
      go: '/t/djapp/go/',
      static: '/t/djapp/static/hello/app.css',
      path: '/t/djapp/',
    });
    visits = page.body.visits; // the health and routing probes visited too
    expect(visits).toBeGreaterThanOrEqual(1);
    const go = await web('/t/djapp/go/');
    expect(go.status, JSON.stringify({ headers: [...go.headers], body: go.body })).toBe(302);
    expect(go.headers.get('location')).toBe('/t/djapp/');
    const css = await web('/t/djapp/static/hello/app.css');
    expect(css.status).toBe(200);
    expect(css.body).toMatch(/color: #123456/);
    expect(css.headers.get('x-bkcec-app')).toBe('djapp');
    // the static copy nginx serves is root's
    expect((await lstat(join(t.cfg.appsDir, 'djapp/static/hello/app.css'))).uid).toBe(0);
    expect(new Set(await programUids('djapp'))).toEqual(
      new Set([Number((await sh('id', ['-u', userOf('djapp')])).stdout)]),
    );
    // the database and account appengine made: rights on bkapp_djapp only
    const c = await mysql.createConnection({
      host: deps.config.db.host,
      port: deps.config.db.port,
      user: deps.config.db.user,
      password: deps.config.db.password,
    });
    const [rowsNow] = (await c.query('SELECT COUNT(*) AS n FROM bkapp_djapp.hello_visit')) as unknown as [
      { n: number }[],
    ];
    expect(rowsNow[0]!.n).toBe(visits);
    const [grants] = (await c.query("SHOW GRANTS FOR 'app_djapp'@'%'")) as unknown as [
      Record<string, string>[],
    ];
    const g = grants.map((r) => Object.values(r)[0]).join('\n');
    expect(g).toMatch(/GRANT ALL PRIVILEGES ON `bkapp\\_djapp`\.\* TO `app_djapp`@`%`/);
    expect(g).toMatch(/GRANT USAGE ON \*\.\* TO `app_djapp`/);
    await c.end();
  });

  it('redeploys keeping the database and reusing the unchanged virtualenv', async () => {
    const ev = await deploy('djapp', { deploy_vars: { VCS_TYPE: 'git', VCS_PATH: git.url('djapp') } });
    expect(ev.status, ev.logs).toBe('SUCCESS');
    expect(ev.logs).toMatch(/requirements unchanged: reusing virtualenv/);
    expect(ev.logs).toMatch(/No migrations to apply/);
    expect((await web('/t/djapp/')).body.visits).toBeGreaterThan(visits + 1);
    expect(await readdir(join(t.cfg.appsDir, 'djapp/work/venvs'))).toHaveLength(1);
  });
});

describe('an S-mart package with its wheels, no package index reachable', () => {
  it('installs from pkgs/ only and serves the app', async () => {
    const dir = await wheels(['six==1.16.0', 'gunicorn==23.0.0']);
    const files: Record<string, string | Buffer> = {
      'app.yml':
        'app_code: smartpy\napp_name: Smart Py\nversion: 1.0.0\nlanguage: python\nis_use_celery: false\n',
      'src/wsgi.py': (await sampleFiles('wsgi'))['wsgi.py']!,
      'src/requirements.txt': 'six==1.16.0\n',
    };
    for (const f of await readdir(dir))
      if (f.endsWith('.whl')) files[`pkgs/${f}`] = await readFile(join(dir, f));
    const tgz = await tarball(root, 'smartpy', files);
    // uploaded through appengine's API (checked and stored), downloaded by the agent with its X-ID/X-TOKEN
    const up = await fetch(`${base}/v1/saas/packages/`, {
      method: 'POST',
      headers: {
        'x-app-code': 'bk_paas',
        'x-app-token': deps.config.secrets.ESB_TOKEN,
        'content-type': 'application/gzip',
      },
      body: tgz,
    });
    const stored = (await up.json()) as { data: { package_id: number; md5: string } };
    expect(stored.data.md5).toBe(createHash('md5').update(tgz).digest('hex'));
    const index = t.cfg.pypiIndex;
    t.cfg.pypiIndex = 'http://127.0.0.1:9/simple'; // nothing answers there
    try {
      const ev = await deploy('smartpy', {
        is_saas: true,
        saas_settings: { package_id: stored.data.package_id },
      });
      expect(ev.status, ev.logs).toBe('SUCCESS');
      expect(ev.logs).toMatch(/language python \(app\.yml says language: python\)/);
      expect(ev.logs).toMatch(/pip install -r requirements.txt \(offline, from pkgs\/\)/);
      expect(ev.logs).not.toMatch(/127\.0\.0\.1:9/);
      expect((await web('/t/smartpy/')).body).toMatchObject({ six: '1.16.0', script_name: '/t/smartpy' });
    } finally {
      t.cfg.pypiIndex = index;
    }
  });
});

describe('refusals, shown in the deploy log', () => {
  it('fails a build whose code is not in the registered language, naming both', async () => {
    const ev = await deploy('wronglang', {
      ...(await fromGit('wronglang', await sampleFiles('wsgi'))),
      app_lang: 'nodejs',
    });
    expect(ev.status).toBe('FAILURE');
    expect(ev.logs.trim().split('\n').at(-1)).toBe(
      "Job Fail: the app is registered as nodejs but its code is python (requirements.txt, wsgi.py found): change the app's language or deploy nodejs code",
    );
  });

  it("shows pip's own error when the requirements cannot be installed", async () => {
    const files = { ...(await sampleFiles('wsgi')), 'requirements.txt': 'bkcec-no-such-package==9.9.9\n' };
    const ev = await deploy('brokenpip', await fromGit('brokenpip', files));
    expect(ev.status).toBe('FAILURE');
    expect(ev.logs).toMatch(/No matching distribution found for bkcec-no-such-package==9\.9\.9/);
    expect(ev.logs.trim().split('\n').at(-1)).toMatch(/^Job Fail: .*pip/);
    expect((await web('/t/brokenpip/')).status).toBe(404);
  });

  it('refuses a package.json main that would inject a supervisor section', async () => {
    const files = sampleApp();
    files['package.json'] = JSON.stringify({
      name: 'x',
      main: 'index.js\n[program:evil]\ncommand=/bin/sh -c id',
    });
    const ev = await deploy('evilmain', await fromGit('evilmain', files));
    expect(ev.status).toBe('FAILURE');
    expect(ev.logs).toMatch(/package.json main: expected a relative path/);
    const confs = await readdir(t.cfg.supervisor.includeDir);
    for (const f of confs)
      expect(await readFile(join(t.cfg.supervisor.includeDir, f), 'utf8')).not.toContain('evil');
  });
});
