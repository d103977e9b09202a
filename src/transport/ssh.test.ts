import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type TestSshd } from '../../test/support/sshd';
import { hostLookupName } from './known-hosts';
import { LocalTransport } from './local';
import { openTransport, TransportPool } from './open';
import { SshTransport } from './ssh';
import type { SshSettings } from './ssh-settings';
import { TransportError } from './transport';

const run = promisify(execFile);
let sshd: TestSshd;
const settings = (over: Partial<SshSettings> = {}): SshSettings => ({
  user: sshd.user,
  port: sshd.port,
  keyPath: sshd.keyPath,
  knownHostsPath: sshd.knownHostsPath,
  ...over,
});
const failure = (p: Promise<unknown>) =>
  p.then(
    () => new Error('expected a failure, found success'),
    (e: Error) => e,
  );

beforeAll(async () => {
  sshd = await startSshd();
});
afterAll(() => sshd.stop());

describe('SshTransport connections', () => {
  it('reuses one TCP connection for many runs, puts and gets', async () => {
    const before = await sshd.connectionCount();
    const t = await SshTransport.connect('127.0.0.1', settings());
    for (let i = 0; i < 25; i++) expect((await t.run(`echo ${i}`)).stdout).toBe(`${i}\n`);
    await t.put(`${sshd.dir}/reuse.txt`, 'x');
    await t.get(`${sshd.dir}/reuse.txt`);
    await Promise.all(Array.from({ length: 5 }, () => t.exec('true')));
    expect(await sshd.connectionCount()).toBe(before + 1);
    await t.close();
  });

  it('ends commands in flight with 255 when the connection drops, and reconnects on the next call', async () => {
    const t = await SshTransport.connect('127.0.0.1', settings());
    const before = await sshd.connectionCount();
    await t.put(`${sshd.dir}/before-drop.txt`, 'x');
    let started: () => void = () => {};
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const inFlight = t.run('echo started; sleep 5; echo late', { onStdout: () => started() });
    await running;
    await sshd.dropConnections();
    expect(await inFlight).toMatchObject({ code: 255, stdout: 'started\n' });
    expect((await t.run('echo back')).stdout).toBe('back\n');
    expect((await t.get(`${sshd.dir}/before-drop.txt`)).toString()).toBe('x');
    expect(await sshd.connectionCount()).toBe(before + 1);
    await t.close();
  });

  it('says why when the reconnect fails too', async () => {
    const other = await startSshd();
    const keyPath = join(sshd.dir, 'other-key');
    const knownHostsPath = join(sshd.dir, 'other-known-hosts');
    await writeFile(keyPath, await readFile(other.keyPath), { mode: 0o600 });
    await writeFile(knownHostsPath, await readFile(other.knownHostsPath));
    const t = await SshTransport.connect(
      '127.0.0.1',
      settings({ port: other.port, keyPath, knownHostsPath }),
    );
    await other.dropConnections();
    await other.stop();
    await new Promise((r) => setTimeout(r, 100));
    const err = await failure(t.run('true'));
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toMatch(
      new RegExp(
        `^127\\.0\\.0\\.1: the SSH connection was lost \\(.+\\); reconnecting failed: connection refused on port ${other.port}`,
      ),
    );
    await t.close();
  });

  it('refuses an unknown host key without acceptNew, naming the option', async () => {
    const empty = join(sshd.dir, `kh-${randomBytes(3).toString('hex')}`);
    await writeFile(empty, '# nothing yet\n');
    const err = await failure(SshTransport.connect('127.0.0.1', settings({ knownHostsPath: empty })));
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toContain('host key not known');
    expect(err.message).toContain('acceptNew: true');
    expect(err.message).toContain(sshd.hostKeyLine);
  });

  it('records an unknown host key with acceptNew, then trusts it without', async () => {
    const file = join(sshd.dir, `kh-${randomBytes(3).toString('hex')}`, 'known_hosts');
    const t = await SshTransport.connect('127.0.0.1', settings({ knownHostsPath: file, acceptNew: true }));
    await t.close();
    expect(await readFile(file, 'utf8')).toBe(`${sshd.hostKeyLine}\n`);
    const again = await SshTransport.connect('127.0.0.1', settings({ knownHostsPath: file }));
    expect((await again.run('echo ok')).stdout).toBe('ok\n');
    await again.close();
  });

  it('accepts a hashed known_hosts entry', async () => {
    const file = join(sshd.dir, 'kh-hashed');
    await writeFile(file, `${sshd.hostKeyLine}\n`);
    await run('ssh-keygen', ['-q', '-H', '-f', file]);
    expect(await readFile(file, 'utf8')).toMatch(/^\|1\|/);
    const t = await SshTransport.connect('127.0.0.1', settings({ knownHostsPath: file }));
    await t.close();
  });

  it('refuses a changed host key even with acceptNew, naming host, file and line', async () => {
    const other = join(sshd.dir, `other-${randomBytes(3).toString('hex')}`);
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const pub = (await readFile(`${other}.pub`, 'utf8')).split(' ');
    const file = join(sshd.dir, 'kh-changed');
    await writeFile(file, `# first line\n${hostLookupName('127.0.0.1', sshd.port)} ${pub[0]} ${pub[1]}\n`);
    const err = await failure(
      SshTransport.connect('127.0.0.1', settings({ knownHostsPath: file, acceptNew: true })),
    );
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toContain(`HOST KEY CHANGED for [127.0.0.1]:${sshd.port}`);
    expect(err.message).toContain(`${file} line 2`);
    expect(await readFile(file, 'utf8')).not.toContain(sshd.hostKeyLine.split(' ')[2]);
  });

  it('says which key was refused', async () => {
    const wrong = join(sshd.dir, `wrong-${randomBytes(3).toString('hex')}`);
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrong]);
    const err = await failure(SshTransport.connect('127.0.0.1', settings({ keyPath: wrong })));
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toBe(`127.0.0.1: SSH login refused for user root; tried key ${wrong}`);
  });

  it('says the connection was refused on a closed port', async () => {
    const port = await closedPort();
    const err = await failure(SshTransport.connect('127.0.0.1', settings({ port })));
    expect(err.message).toBe(`127.0.0.1: connection refused on port ${port}: no SSH server listens there`);
  });

  it('says so when the port is not an SSH server', async () => {
    const rude: Server = createServer((sock) => sock.destroy());
    await new Promise<void>((r) => rude.listen(0, '127.0.0.1', r));
    const port = (rude.address() as { port: number }).port;
    const err = await failure(SshTransport.connect('127.0.0.1', settings({ port })));
    expect(err.message).toContain(
      `port ${port} accepted the connection but closed it before the SSH greeting`,
    );
    rude.close();
  });

  it('logs in through the ssh-agent when no key path is set, and names it when refused', async () => {
    const sock = join(sshd.dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    const saved = { SSH_AUTH_SOCK: process.env.SSH_AUTH_SOCK, HOME: process.env.HOME };
    try {
      await waitFor(() =>
        stat(sock).then(
          () => true,
          () => false,
        ),
      );
      process.env.SSH_AUTH_SOCK = sock;
      process.env.HOME = join(sshd.dir, 'empty-home');
      const refused = await failure(SshTransport.connect('127.0.0.1', settings({ keyPath: undefined })));
      expect(refused.message).toBe(`127.0.0.1: SSH login refused for user root; tried ssh-agent (${sock})`);
      await run('ssh-add', ['-q', sshd.keyPath], { env: { ...process.env, SSH_AUTH_SOCK: sock } });
      const t = await SshTransport.connect('127.0.0.1', settings({ keyPath: undefined }));
      expect((await t.run('echo agent')).stdout).toBe('agent\n');
      await t.close();
      delete process.env.SSH_AUTH_SOCK;
      const none = await failure(SshTransport.connect('127.0.0.1', settings({ keyPath: undefined })));
      expect(none.message).toMatch(
        /^127\.0\.0\.1: no SSH key to log in with: set a key path, start ssh-agent/,
      );
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      agent.kill('SIGTERM');
    }
  });

  it('gives up on a silent server after the connect timeout', async () => {
    const silent: Server = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    const started = Date.now();
    const err = await failure(SshTransport.connect('127.0.0.1', settings({ port, connectTimeoutMs: 400 })));
    expect(err.message).toBe(`127.0.0.1: SSH handshake on port ${port} did not finish within 400 ms`);
    expect(Date.now() - started).toBeLessThan(2000);
    silent.close();
  });
});

describe('openTransport and TransportPool', () => {
  it('opens this machine locally unless BKCEC_FORCE_SSH is set', async () => {
    expect(await openTransport('127.0.0.1', settings())).toBeInstanceOf(LocalTransport);
    process.env.BKCEC_FORCE_SSH = '1';
    try {
      const t = await openTransport('127.0.0.1', settings());
      expect(t).toBeInstanceOf(SshTransport);
      await t.close();
    } finally {
      delete process.env.BKCEC_FORCE_SSH;
    }
  });

  it('shares one connect among concurrent gets of a host and retries a failed one', async () => {
    process.env.BKCEC_FORCE_SSH = '1';
    try {
      const before = await sshd.connectionCount();
      const pool = new TransportPool(settings({ knownHostsPath: join(sshd.dir, 'none') }), {
        knownHostsPath: sshd.knownHostsPath,
      });
      const [a, b, c] = await Promise.all([
        pool.get('127.0.0.1'),
        pool.get('127.0.0.1'),
        pool.get('127.0.0.1'),
      ]);
      expect(a).toBe(b);
      expect(b).toBe(c);
      expect(await sshd.connectionCount()).toBe(before + 1);
      await pool.closeAll();
      const bad = new TransportPool(settings({ port: await closedPort() }));
      await expect(bad.get('127.0.0.1')).rejects.toBeInstanceOf(TransportError);
      await expect(bad.get('127.0.0.1')).rejects.toThrow(/connection refused/);
      await bad.closeAll();
    } finally {
      delete process.env.BKCEC_FORCE_SSH;
    }
  });
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 50));
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
