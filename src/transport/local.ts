// The transport for the controller's own machine: bash child processes and plain file writes.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type CommandIo, gather } from './output';
import { stdinScript } from './shell';
import {
  type ExecOptions,
  type ExecResult,
  type RunOptions,
  type Transport,
  TransportError,
} from './transport';

/** Runs everything on this machine; each command gets its own process group so a timeout kills it all. */
export class LocalTransport implements Transport {
  private closed = false;

  constructor(readonly host = '127.0.0.1') {}

  run(script: string, opts: RunOptions = {}): Promise<ExecResult> {
    return this.spawn(['--norc', '-s'], { ...opts, stdin: stdinScript(script) });
  }

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return this.spawn(['--norc', '-c', command], opts);
  }

  async put(remotePath: string, content: Buffer | string, mode = 0o644): Promise<void> {
    this.assertOpen();
    await mkdir(dirname(remotePath), { recursive: true });
    const tmp = join(dirname(remotePath), `.bkcec-put-${randomBytes(6).toString('hex')}`);
    try {
      await writeFile(tmp, content, { mode });
      await chmod(tmp, mode); // the umask may have narrowed it
      await rename(tmp, remotePath);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async get(remotePath: string): Promise<Buffer> {
    this.assertOpen();
    return readFile(remotePath);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private async spawn(args: string[], opts: ExecOptions): Promise<ExecResult> {
    this.assertOpen();
    const child = spawn('bash', args, { detached: true, stdio: 'pipe' });
    const io: CommandIo = {
      stdin: child.stdin,
      stdout: child.stdout,
      stderr: child.stderr,
      finished: new Promise((resolve) => {
        child.on('error', () => resolve({ code: 127 }));
        child.on('close', (code, signal) => resolve({ code, signal: signal ?? undefined }));
      }),
      kill: () => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // the group is already gone
        }
      },
    };
    return gather(io, opts);
  }

  private assertOpen(): void {
    if (this.closed) throw new TransportError(this.host, 'the transport was closed; open a new one');
  }
}
