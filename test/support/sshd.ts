// A real OpenSSH server for tests: Debian's sshd on 127.0.0.1 and a free port, with its own
// host key, client key, known_hosts and log, all in a temp folder removed by stop().

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A running test sshd; log in as the current user (root) with `keyPath`. */
export interface TestSshd {
  host: string;
  port: number;
  user: string;
  keyPath: string;
  /** A known_hosts file holding exactly this server's key. */
  knownHostsPath: string;
  /** That file's line: `[127.0.0.1]:port ssh-ed25519 AAAA…`. */
  hostKeyLine: string;
  dir: string;
  /** How many TCP connections sshd accepted so far (from its VERBOSE log). */
  connectionCount(): Promise<number>;
  /** Kills the per-connection sshd processes, as a network failure would end the sessions. */
  dropConnections(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts sshd and waits until it answers with its SSH banner. */
export async function startSshd(): Promise<TestSshd> {
  const dir = await mkdtemp(join(tmpdir(), 'bkcec-sshd-'));
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privilege separation folder
  await run('ssh-keygen', [
    '-q',
    '-t',
    'ed25519',
    '-N',
    '',
    '-C',
    'bkcec-test-host',
    '-f',
    join(dir, 'host_key'),
  ]);
  await run('ssh-keygen', [
    '-q',
    '-t',
    'ed25519',
    '-N',
    '',
    '-C',
    'bkcec-test-client',
    '-f',
    join(dir, 'id_ed25519'),
  ]);
  await writeFile(join(dir, 'authorized_keys'), await readFile(join(dir, 'id_ed25519.pub')));
  const log = join(dir, 'sshd.log');
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    await writeFile(join(dir, 'sshd_config'), config(dir, port));
    const child = spawn('/usr/sbin/sshd', ['-D', '-f', join(dir, 'sshd_config'), '-E', log], {
      stdio: 'ignore',
    });
    if (await answers(port, child)) {
      const hostKey = (await readFile(join(dir, 'host_key.pub'), 'utf8')).trim().split(/\s+/);
      const hostKeyLine = `[127.0.0.1]:${port} ${hostKey[0]} ${hostKey[1]}`;
      const knownHostsPath = join(dir, 'known_hosts');
      await writeFile(knownHostsPath, `${hostKeyLine}\n`);
      return {
        host: '127.0.0.1',
        port,
        user: 'root',
        keyPath: join(dir, 'id_ed25519'),
        knownHostsPath,
        hostKeyLine,
        dir,
        // minus one: the readiness probe below
        connectionCount: async () =>
          ((await readFile(log, 'utf8')).match(/Connection from /g) ?? []).length - 1,
        dropConnections: async () => {
          for (const pid of await descendants(child.pid!)) process.kill(pid, 'SIGKILL');
        },
        stop: async () => {
          await stopChild(child);
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    await stopChild(child);
    if (attempt >= 4) {
      const text = await readFile(log, 'utf8').catch(() => '(no log)');
      await rm(dir, { recursive: true, force: true });
      throw new Error(
        `expected the test sshd to answer on a free port, found it did not start; its log:\n${text}`,
      );
    }
  }
}

function config(dir: string, port: number): string {
  return [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_key')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'StrictModes no',
    'UsePAM no',
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'LogLevel VERBOSE',
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** True once the port greets with `SSH-2.0` (only that probe reaches sshd's log); false if sshd exits or 5 s pass. */
async function answers(port: number, child: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && child.exitCode === null) {
    const banner = await new Promise<string>((resolve) => {
      const sock = connect(port, '127.0.0.1');
      sock.once('data', (d) => {
        sock.destroy();
        resolve(d.toString());
      });
      sock.once('error', () => resolve(''));
    });
    if (banner.startsWith('SSH-2.0')) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** Every process below `pid` (its children, theirs, …). */
async function descendants(pid: number): Promise<number[]> {
  const { stdout } = await run('ps', ['-e', '-o', 'pid=,ppid=']);
  const rows = stdout
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const visit = (parent: number): void => {
    for (const [p, pp] of rows) {
      if (pp !== parent) continue;
      found.push(p);
      visit(p);
    }
  };
  visit(pid);
  return found;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}
