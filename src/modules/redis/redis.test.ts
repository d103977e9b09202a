// The real module steps on this machine: a real redis-server under a real supervisord in a temp INSTALL_PATH.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalHost, localHost } from '../../../test/support/engine';
import { failureText } from '../../../test/support/events';
import { freePort } from '../../../test/support/ports';
import { redisModule } from '.';

let host: LocalHost;
const sh = (cmd: string) => execFileSync('bash', ['-c', cmd], { encoding: 'utf8' });
const redisPid = () =>
  sh(`supervisorctl -c ${host.installPath}/etc/supervisord.conf pid redis:redis-redis || true`).trim();
const client = async (password?: string) => {
  const c = createClient({
    socket: { host: '127.0.0.1', port: Number(host.vars.REDIS_PORT), reconnectStrategy: false },
    password,
  });
  c.on('error', () => {});
  await c.connect();
  return c;
};

/** One command over a plain socket, no AUTH: the first reply line. */
const rawCommand = (cmd: string) =>
  new Promise<string>((resolve, reject) => {
    const s = netConnect({ host: '127.0.0.1', port: Number(host.vars.REDIS_PORT) }, () =>
      s.write(`${cmd}\r\n`),
    );
    s.once('data', (d) => {
      resolve(d.toString().split('\r\n')[0]!);
      s.destroy();
    });
    s.once('error', reject);
  });

beforeAll(async () => {
  host = localHost(redisModule, { REDIS_PORT: String(await freePort()), REDIS_PASS: `r${Date.now()}Pw` });
});
afterAll(() => host?.cleanup());

describe('redis module on a local host', () => {
  it('installs and starts; a re-run changes nothing', async () => {
    const install = await host.run('install');
    expect(install.ok, failureText(install.events)).toBe(true);
    expect(install.changed).toEqual(
      expect.arrayContaining(['install:config', 'install:supervisor-programs']),
    );
    const conf = statSync(`${host.installPath}/etc/redis.conf`);
    expect(conf.mode & 0o777).toBe(0o600);
    expect(sh(`stat -c %U ${host.installPath}/etc/redis.conf`).trim()).toBe('redis');
    const start = await host.run('start');
    expect(start.ok, failureText(start.events)).toBe(true);
    expect((await host.run('install')).changed).toEqual([]);
    expect((await host.run('start')).changed).toEqual([]);
    const status = await host.run('status');
    expect(status.ok, failureText(status.events)).toBe(true);
    expect(status.events.some((e) => e.type === 'status' && /PONG \(authenticated\)/.test(e.text))).toBe(
      true,
    );
  });

  it('refuses commands without the password, accepts them with it, and persists to AOF', async () => {
    expect(await rawCommand('PING')).toMatch(/^-NOAUTH/);
    const c = await client(host.vars.REDIS_PASS);
    expect(await c.ping()).toBe('PONG');
    await c.set('bk:k', 'v1');
    expect(await c.configGet('appendonly')).toEqual({ appendonly: 'yes' });
    expect((await c.configGet('dir')).dir).toBe(`${host.installPath}/public/redis`);
    await c.quit();
    expect(sh('ps -eo args')).not.toContain(host.vars.REDIS_PASS);
  });

  it('comes back after kill -9 with its data; a changed password is applied by install + start', async () => {
    const before = redisPid();
    sh(`kill -9 ${before}`);
    let after = before;
    for (let i = 0; i < 100 && (after === before || after === '0'); i++) {
      await new Promise((r) => setTimeout(r, 200));
      after = redisPid();
    }
    expect((await host.run('start')).ok).toBe(true);
    const c = await client(host.vars.REDIS_PASS);
    expect(await c.get('bk:k')).toBe('v1');
    await c.quit();

    const old = host.vars.REDIS_PASS!;
    host.vars.REDIS_PASS = `${old}2`;
    expect((await host.run('render')).changed).toEqual(['render:config']);
    expect(redisPid()).toBe(after);
    expect((await host.run('start')).changed).toEqual(['start:start']);
    await expect(client(old)).rejects.toThrow(/WRONGPASS|invalid/i);
    const c2 = await client(host.vars.REDIS_PASS);
    expect(await c2.get('bk:k')).toBe('v1');
    await c2.quit();

    expect((await host.run('stop')).changed).toEqual(['stop:stop']);
    expect((await host.run('stop')).changed).toEqual([]);
    expect(redisPid()).toBe('0');
  });

  it('refuses a password redis.conf cannot hold', async () => {
    const bad = localHost(redisModule, { REDIS_PORT: '1', REDIS_PASS: 'has space' });
    try {
      // Refused before the host is touched: a failure event, not a thrown error (the engine reports it).
      const r = await bad.run('render');
      expect(r.ok).toBe(false);
      const text = r.events.flatMap((e) => (e.type === 'failure' ? e.stderrTail : [])).join('\n');
      expect(text).toMatch(/expected REDIS_PASS to be non-empty without spaces/);
      expect(r.changed).toEqual([]);
    } finally {
      bad.cleanup();
    }
  });
});
