// The root helper attacked on its real socket: requests the agent should never send (another
// user, `..`, newlines, links in the app's folder) and callers that are not the agent's user.
import { execFile } from 'node:child_process';
import { chmod, lstat, mkdir, readFile, rm, symlink } from 'node:fs/promises';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/ports';
import { type AgentConfig, parseAgentConfig } from '../config';
import { appPaths } from '../runtime/layout';
import { appUserName } from '../runtime/users';
import { callHelper } from './client';
import type { HelperRequest } from './protocol';
import { startHelper } from './server';

const sh = promisify(execFile);
let dir: string;
let cfg: AgentConfig;
let helper: Server;
const logged: string[] = [];
const never = () => new AbortController().signal;
/** Send a raw request object (the client's types would not let most of these through). */
const send = (req: unknown, stdin?: Buffer) =>
  callHelper(cfg, req as HelperRequest, { signal: never(), stdin });
const out = async (req: unknown, stdin?: Buffer) => (await send(req, stdin)).lines.join('\n');

beforeAll(async () => {
  dir = await tempDir('helper');
  await chmod(dir, 0o755);
  cfg = parseAgentConfig(
    {
      sid: crypto.randomUUID(),
      token: crypto.randomUUID(),
      controllerUrl: 'http://127.0.0.1:9',
      mode: 'test',
      listen: { host: '127.0.0.1', port: 0 },
      allowFrom: ['127.0.0.1'],
      userPrefix: `h${Math.random().toString(36).slice(2, 6)}-`,
      appsDir: join(dir, 'apps'),
      logDir: join(dir, 'logs/apps'),
      nodeBin: process.execPath,
      supervisor: { conf: join(dir, 'etc/s.conf'), includeDir: join(dir, 'etc/supervisor.d') },
      nginx: { conf: join(dir, 'etc/n.conf'), includeDir: join(dir, 'etc/nginx.d'), port: 9 },
      helper: { socket: join(dir, 'run/helper/helper.sock'), group: 'root' },
      jobTimeoutSec: 30,
    },
    'helper test',
  );
  await mkdir(join(dir, 'logs'), { recursive: true, mode: 0o755 });
  helper = await startHelper(cfg, (l) => logged.push(l));
  await send({ op: 'prepare', code: 'demo' });
}, 30_000);

afterAll(async () => {
  await new Promise((r) => helper?.close(r));
  for (const code of ['demo', 'login']) {
    const name = appUserName(cfg, code);
    await sh('pkill', ['-KILL', '-u', name]).catch(() => undefined);
    await sh('userdel', [name]).catch(() => undefined);
  }
  await rm(dir, { recursive: true, force: true });
});

describe('root helper: what it does', () => {
  it('prepares the app: its own user (not root), its folders, a port', async () => {
    const r = (await send({ op: 'prepare', code: 'demo' })).result as { user: { uid: number }; port: number };
    expect(r.user.uid).toBeGreaterThan(0);
    expect(r.user.uid).toBeLessThan(1000);
    const p = appPaths(cfg, 'demo');
    expect((await lstat(p.work)).uid).toBe(r.user.uid);
    expect((await lstat(p.home)).uid).toBe(0);
    expect((await lstat(cfg.logDir)).mode & 0o777).toBe(0o711);
    expect((await lstat(p.appLogDir)).mode & 0o777).toBe(0o750);
  });

  it('runs a command as the app user, with stdin, in its work folder', async () => {
    const { stdout } = await sh('id', ['-u', appUserName(cfg, 'demo')]);
    expect(await out({ op: 'run', code: 'demo', argv: ['id', '-u'] })).toBe(stdout.trim());
    expect(await out({ op: 'run', code: 'demo', argv: ['pwd'] })).toBe(appPaths(cfg, 'demo').work);
    expect(await out({ op: 'run', code: 'demo', argv: ['cat'], stdin: true }, Buffer.from('piped\n'))).toBe(
      'piped',
    );
  });

  it('writes the env file with values quoted: a newline in a value adds no variable', async () => {
    await send({ op: 'env', code: 'demo', env: { A: 'one\nB=injected', C: "it's $HOME" } });
    const p = appPaths(cfg, 'demo');
    const st = await lstat(p.envFile);
    expect([st.uid, st.mode & 0o777]).toEqual([0, 0o640]);
    const env = await out({
      op: 'run',
      code: 'demo',
      argv: ['sh', '-c', 'set -a; . "$1"; printf "%s|%s|%s" "$A" "${B-unset}" "$C"', 'x', p.envFile],
    });
    expect(env).toBe("one\nB=injected|unset|it's $HOME");
  });
});

describe('root helper: attacks refused', () => {
  it.each([
    ['another user named in the request', { op: 'run', code: 'demo', argv: ['id'], user: 'root' }],
    ['a uid in the request', { op: 'run', code: 'demo', argv: ['id'], uid: 0 }],
    ['a code with ..', { op: 'prepare', code: '../etc' }],
    ['a code with a slash', { op: 'run', code: 'demo/../x', argv: ['id'] }],
    ['a code with a newline', { op: 'prepare', code: 'demo\n[program:x]' }],
    ['an op outside the set', { op: 'exec', code: 'demo', argv: ['id'] }],
    ['a file to write', { op: 'env', code: 'demo', env: {}, path: '/etc/passwd' }],
    ['a variable name with a newline', { op: 'env', code: 'demo', env: { 'A\nB': '1' } }],
    ['a NUL in an argument', { op: 'run', code: 'demo', argv: ['id', 'a\0b'] }],
  ])('%s', async (_what, req) => {
    await expect(send(req)).rejects.toThrow(/refused/);
  });

  it.each([
    ['a folder above the work tree', { cwd: '/root' }],
    ['a folder reached with ..', { cwd: 'WORK/../..' }],
    ['an option as the command', { argv: ['--split-string=id'] }],
    ['an assignment as the command', { argv: ['PATH=/tmp', 'id'] }],
  ])('run with %s', async (_what, o) => {
    const req: Record<string, unknown> & { cwd?: string } = { op: 'run', code: 'demo', argv: ['id'], ...o };
    if (req.cwd?.startsWith('WORK')) req.cwd = req.cwd.replace('WORK', appPaths(cfg, 'demo').work);
    await expect(send(req)).rejects.toThrow(/expected/);
  });

  it('runs nothing for an app that has no user here (never makes one but in prepare)', async () => {
    await expect(send({ op: 'run', code: 'ghost', argv: ['id'] })).rejects.toThrow(/has no user/);
    await expect(sh('id', [appUserName(cfg, 'ghost')])).rejects.toThrow();
  });

  it("refuses to prepare an app whose user name is a person's login account", async () => {
    const name = appUserName(cfg, 'login');
    const uid = String(50000 + Math.floor(Math.random() * 9000));
    await sh('useradd', ['--uid', uid, '--no-create-home', '--shell', '/usr/sbin/nologin', name]);
    await expect(send({ op: 'prepare', code: 'login' })).rejects.toThrow(/login account/);
    await expect(send({ op: 'remove', code: 'login' })).rejects.toThrow(/login account/);
    expect((await sh('id', ['-u', name])).stdout.trim()).toBe(uid);
  });

  it('a program file: newline in an argument, folder outside the work tree, .. — refused, nothing written', async () => {
    const p = appPaths(cfg, 'demo');
    const built = { directory: `${p.work}/code`, web: ['/usr/bin/node', 'index.js'], env: {} };
    for (const b of [
      { ...built, web: ['/usr/bin/node', 'index.js\n[program:evil]\ncommand=/bin/sh'] },
      { ...built, directory: '/etc' },
      { ...built, directory: `${p.work}/../../..` },
      { ...built, env: { X: 'a b' } },
      { ...built, user: 'root' },
    ])
      await expect(send({ op: 'program', code: 'demo', built: b })).rejects.toThrow(/expected|refused/);
    await expect(lstat(p.program)).rejects.toThrow(/ENOENT/);
    await send({ op: 'program', code: 'demo', built });
    const conf = await readFile(p.program, 'utf8');
    expect(conf).toContain(`user=${appUserName(cfg, 'demo')}\n`);
    expect(conf.match(/^\[program:/gm)).toHaveLength(1);
  });

  it('a link in the app folder is followed with the app user’s rights, never root’s', async () => {
    const p = appPaths(cfg, 'demo');
    await out({ op: 'run', code: 'demo', argv: ['ln', '-s', '/root', `${p.work}/rootlink`] });
    await expect(send({ op: 'run', code: 'demo', argv: ['ls'], cwd: `${p.work}/rootlink` })).rejects.toThrow(
      /Permission denied/,
    );
    // static files published from a link to a root-only folder: the user's tar cannot read it
    await mkdir('/root/.bkcec-helper-test', { recursive: true, mode: 0o700 });
    await expect(
      send({ op: 'static', code: 'demo', dir: `${p.work}/rootlink/.bkcec-helper-test` }),
    ).rejects.toThrow(/Permission denied|Cannot/);
    await rm('/root/.bkcec-helper-test', { recursive: true, force: true });
    // a work folder swapped for a link (by someone with root's help) is refused, not taken over
    await rm(`${p.work}/rootlink`);
    const elsewhere = join(dir, 'elsewhere');
    await mkdir(elsewhere);
    await sh('mv', [p.work, `${p.work}.real`]);
    await symlink(elsewhere, p.work);
    await expect(send({ op: 'prepare', code: 'demo' })).rejects.toThrow(/refusing to use it/);
    expect((await lstat(elsewhere)).uid).toBe(0);
    await rm(p.work);
    await sh('mv', [`${p.work}.real`, p.work]);
  });

  it('a caller that is not root or the agent’s group cannot connect (an app user, nobody)', async () => {
    const script = `require('net').connect(process.argv[1]).on('connect',()=>{console.log('connected');process.exit(0)}).on('error',e=>{console.log(e.code);process.exit(0)})`;
    for (const user of [appUserName(cfg, 'demo'), 'nobody']) {
      const { stdout } = await sh('runuser', [
        '-u',
        user,
        '--',
        process.execPath,
        '-e',
        script,
        cfg.helper!.socket,
      ]);
      expect(`${user}: ${stdout.trim()}`).toBe(`${user}: EACCES`);
    }
    const st = await lstat(join(dir, 'run/helper'));
    expect(st.mode & 0o777).toBe(0o750);
    expect((await lstat(cfg.helper!.socket)).mode & 0o777).toBe(0o660);
  });

  it('logs refusals by op and code only, never values', () => {
    expect(logged.join('\n')).toMatch(/refused run demo/);
    expect(logged.join('\n')).not.toContain('injected');
  });
});
