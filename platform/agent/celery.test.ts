// Celery beside a Python app: a Django + Celery S-mart package whose wheels ship in pkgs/ (no index
// reachable), its worker and beat under supervisord as the app's user, on a Redis ACL account
// that reaches only its own key prefix; a queued task writes a row; offline removes it all.
// Real appengine, MariaDB, Redis, supervisord, nginx, Debian's python3 and pip.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import mysql from 'mysql2/promise';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHeaders, call, finalEvent } from '../../test/support/agent/engine';
import { type AgentHost, startEnrolledAgentHost } from '../../test/support/agent/host';
import { sampleFiles, tarball, wheels } from '../../test/support/agent/samples';
import { type PaasDeps, startPaasDeps } from '../../test/support/paas';
import { tempDir, waitFor } from '../../test/support/ports';
import { buildAppengineApp } from '../paas/appengine/app';
import { reconcileBrokers } from '../paas/appengine/releases/broker';
import { openRedis } from '../paas/common/redis/redis';

const sh = promisify(execFile);
const CODE = 'celeryapp';
let deps: PaasDeps;
let engine: FastifyInstance;
let base: string;
let t: AgentHost;
let token: string;
let work: string;
let db: mysql.Connection;

const ctl = async (...args: string[]) =>
  (await sh('supervisorctl', ['-c', t.cfg.supervisor.conf, ...args]).catch((e) => e)).stdout as string;
const web = (path: string) => call(`http://127.0.0.1:${t.webPort}`, path);
const rowsOf = async (note: string) => {
  const [r] = (await db.query(`SELECT uid FROM bkapp_${CODE}.jobs_done WHERE note = ?`, [
    note,
  ])) as unknown as [{ uid: number }[]];
  return r;
};
/** The platform's Redis as its administrator. */
async function admin() {
  const c = createClient({
    socket: { host: deps.redis.host, port: deps.redis.port },
    password: deps.redis.password,
  });
  await c.connect();
  return c;
}
/** Log in as `user` on a fresh connection, send one command, return its reply's first line (a bulk string's value). */
function rawReply(user: string, password: string, args: string[]): Promise<string> {
  const resp = (a: string[]) =>
    `*${a.length}\r\n${a.map((x) => `$${Buffer.byteLength(x)}\r\n${x}\r\n`).join('')}`;
  return new Promise((resolve, reject) => {
    const s = connect({ host: deps.redis.host, port: deps.redis.port });
    s.setTimeout(5_000, () => s.destroy(new Error(`no reply to ${args[0]}`)));
    s.on('error', reject);
    let buf = '';
    const done = (line: string) => {
      s.end();
      resolve(line);
    };
    s.on('data', (d) => {
      buf += d.toString();
      const lines = buf.split('\r\n');
      if (lines.length < 2) return;
      if (!lines[0]!.startsWith('+OK')) return done(lines[0]!); // the login failed
      const [, first, second] = lines;
      // a reply line is whole once a CRLF follows it
      if (first === undefined || lines.length < 3 || (first.startsWith('$') && lines.length < 4)) return;
      done(first.startsWith('$') ? second! : first);
    });
    s.on('connect', () => s.write(resp(['AUTH', user, password]) + resp(args)));
  });
}

beforeAll(async () => {
  deps = await startPaasDeps();
  engine = buildAppengineApp({ config: deps.config, db: deps.db, log: false });
  base = await engine.listen({ host: '127.0.0.1', port: 0 });
  t = await startEnrolledAgentHost('test', base, deps.config.secrets.ESB_TOKEN, {
    jobTimeoutSec: 280,
    healthTimeoutSec: 40,
  });
  work = await tempDir('celery-pkg');
  db = await mysql.createConnection({
    host: deps.config.db.host,
    port: deps.config.db.port,
    user: deps.config.db.user,
    password: deps.config.db.password,
  });
}, 60_000);
afterAll(async () => {
  await db?.end();
  await t?.stop();
  await engine?.close();
  await deps?.stop();
});

/** The sample as an S-mart package: app.yml asking for worker and beat, src/, and every wheel in pkgs/. */
async function packageFiles(): Promise<Record<string, string | Buffer>> {
  const sample = await sampleFiles('celery');
  const dir = await wheels(sample['requirements.txt']!.split('\n').filter(Boolean));
  const files: Record<string, string | Buffer> = {
    'app.yml': `app_code: ${CODE}\napp_name: Celery sample\nversion: 1.0.0\nlanguage: python\nis_use_celery: true\nis_use_celery_beat: true\n`,
  };
  for (const [f, body] of Object.entries(sample)) files[`src/${f}`] = body;
  for (const f of await readdir(dir))
    if (f.endsWith('.whl')) files[`pkgs/${f}`] = await readFile(join(dir, f));
  return files;
}

/** Upload the package through appengine's API and deploy it to test with worker and beat; the final event. */
async function deployPackage(files: Record<string, string | Buffer>) {
  const stored = (await (
    await fetch(`${base}/v1/saas/packages/`, {
      method: 'POST',
      headers: {
        'x-app-code': 'bk_paas',
        'x-app-token': deps.config.secrets.ESB_TOKEN,
        'content-type': 'application/gzip',
      },
      body: await tarball(work, CODE, files),
    })
  ).json()) as { result: boolean; message: string; data: { package_id: number; app: { token: string } } };
  expect(stored.result, stored.message).toBe(true);
  token = stored.data.app.token;
  t.cfg.pypiIndex = 'http://127.0.0.1:9/simple'; // nothing answers there: pip must not need it
  const r = await call(base, `/v1/apps/${CODE}/test/releases/`, {
    json: {
      envs: { APP_ID: CODE, APP_TOKEN: token, BK_PAAS_HOST: 'http://paas.bking.com' },
      triggers: { is_use_celery: true, is_use_celery_beat: true },
      is_saas: true,
      saas_settings: { package_id: stored.data.package_id },
    },
    headers: appHeaders(CODE, token),
  });
  expect(r.body.result, JSON.stringify(r.body)).toBe(true);
  return finalEvent(base, CODE, token, r.body.data.event_id, 270_000);
}

describe('a Django + Celery S-mart package, offline', () => {
  let envFile = '';
  let brokerUrl: URL;

  it('deploys from pkgs/ with no index, its worker answering over the platform broker', async () => {
    const ev = await deployPackage(await packageFiles());
    expect(ev.status, ev.logs).toBe('SUCCESS');
    expect(ev.logs).toMatch(/pip install -r requirements.txt \(offline, from pkgs\/\)/);
    expect(ev.logs).not.toMatch(/127\.0\.0\.1:9/);
    expect(ev.logs).toMatch(/celery: worker and beat with -A proj/);
    expect(ev.logs).toMatch(/celery worker answered ping/);
    envFile = await readFile(join(t.cfg.appsDir, CODE, 'app.env'), 'utf8');
    const url = /^BK_BROKER_URL='(.*)'$/m.exec(envFile)?.[1];
    expect(url).toMatch(/^redis:\/\/bkapp-test-celeryapp:[\w-]{20,}@127\.0\.0\.1:\d+\/0$/);
    brokerUrl = new URL(url!);
    expect(envFile).toMatch(/^BK_BROKER_KEY_PREFIX='bkapp:test:celeryapp:'$/m);
    expect(envFile).toMatch(/^IS_USE_CELERY_BEAT='true'$/m);
    // the broker password is in no log or program file
    expect(ev.logs).not.toContain(brokerUrl.password);
    const program = await readFile(join(t.cfg.supervisor.includeDir, `app-${CODE}.conf`), 'utf8');
    expect(program).not.toContain(brokerUrl.password);
    expect(program).toMatch(new RegExp(`programs=app-${CODE}-web,app-${CODE}-celery,app-${CODE}-beat`));
  });

  it('runs a task the app queued on the worker, as the app user, and beat on schedule', async () => {
    const uid = Number((await sh('id', ['-u', `${t.cfg.userPrefix}${CODE}`])).stdout);
    expect(uid).toBeGreaterThan(0);
    const note = `hello-${Date.now()}`;
    const q = await web(`/t/${CODE}/enqueue/?note=${note}`);
    expect(q.body).toEqual({ queued: note });
    await waitFor('the task row', async () => (await rowsOf(note)).length === 1, 20_000);
    expect((await rowsOf(note))[0]!.uid).toBe(uid);
    await waitFor('beat rows', async () => (await rowsOf('beat')).length >= 2, 20_000);
    // every process of the worker and beat runs as the app's user
    for (const kind of ['celery', 'beat']) {
      const pid = (await ctl('pid', `app-${CODE}:app-${CODE}-${kind}`)).trim();
      expect(Number(pid), kind).toBeGreaterThan(0);
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      expect(Number(/^Uid:\s+(\d+)/m.exec(status)![1]), kind).toBe(uid);
    }
    // nothing in the process table carries the broker password
    const { stdout: ps } = await sh('ps', ['-eo', 'args']);
    expect(ps).not.toContain(brokerUrl.password);
  });

  it('fails a version whose code has no Celery app, saying so, and keeps the running one', async () => {
    const files = await packageFiles();
    delete files['src/proj/celery.py'];
    files['src/proj/__init__.py'] = '';
    const ev = await deployPackage(files);
    expect(ev.status).toBe('FAILURE');
    expect(ev.logs).toMatch(/requirements unchanged: reusing virtualenv/);
    expect(ev.logs.trim().split('\n').at(-1)).toBe(
      'Job Fail: is_use_celery is set but the code has no Celery app: expected <package>/celery.py (run as celery -A <package>) or a manage.py celery command',
    );
    const note = `still-${Date.now()}`;
    expect((await web(`/t/${CODE}/enqueue/?note=${note}`)).body).toEqual({ queued: note });
    await waitFor('the task row', async () => (await rowsOf(note)).length === 1, 20_000);
  });

  it("keeps the app's broker account to its own prefix", async () => {
    const a = await admin();
    await a.set('bkapp:test:other:secret', 'theirs');
    const as = (args: string[]) => rawReply(brokerUrl.username, brokerUrl.password, args);
    expect(await as(['SET', 'bkapp:test:celeryapp:mine', '1'])).toBe('+OK');
    for (const args of [
      ['GET', 'bkapp:test:other:secret'],
      ['SET', 'celery', 'x'],
      ['KEYS', '*'],
      ['SCAN', '0'],
      ['RANDOMKEY'],
      ['SELECT', '1'],
      ['FLUSHALL'],
      ['CONFIG', 'GET', 'requirepass'],
      ['ACL', 'LIST'],
      ['PUBLISH', 'bkapp:test:other:/0.celery.pidbox', 'x'],
      ['SUBSCRIBE', 'bkapp:test:other:/0.celery.pidbox'],
      ['PSUBSCRIBE', 'bkapp:test:*'],
    ])
      expect(await as(args), args.join(' ')).toMatch(/^-NOPERM/);
    expect(await rawReply(brokerUrl.username, 'wrong-password', ['PING'])).toMatch(/^-WRONGPASS/);
    // Redis lost its ACL users (a restart): appengine puts the account back
    await a.sendCommand(['ACL', 'DELUSER', brokerUrl.username]);
    expect(await as(['PING'])).toMatch(/^-WRONGPASS/);
    const h = openRedis(deps.config.redis);
    await waitFor('redis', async () => h.ready(), 5_000);
    expect(await reconcileBrokers(deps.db, h)).toBe(1);
    expect(await reconcileBrokers(deps.db, h)).toBe(0);
    await h.close();
    expect(await as(['GET', 'bkapp:test:celeryapp:mine'])).toBe('1');
    await a.close();
  });

  it('offline removes the worker and beat programs, the broker account and its keys', async () => {
    const r = await call(base, `/v1/apps/${CODE}/test/releases/`, {
      method: 'DELETE',
      headers: appHeaders(CODE, token),
    });
    expect(r.body.result, JSON.stringify(r.body)).toBe(true);
    const ev = await finalEvent(base, CODE, token, r.body.data.event_id, 60_000);
    expect(ev.status, ev.logs).toBe('SUCCESS');
    expect(await ctl('status')).not.toContain(`app-${CODE}`);
    expect((await sh('pgrep', ['-f', 'celery -A proj']).catch((e) => e)).stdout.trim()).toBe('');
    const a = await admin();
    expect(await a.sendCommand(['ACL', 'USERS'])).not.toContain(brokerUrl.username);
    expect(await a.keys('bkapp:test:celeryapp:*')).toEqual([]);
    expect(await a.get('bkapp:test:other:secret')).toBe('theirs');
    await a.close();
    const [left] = (await deps.db.query('SELECT * FROM engine_app_brokers')) as unknown as [unknown[]];
    expect(left).toEqual([]);
  });
});
