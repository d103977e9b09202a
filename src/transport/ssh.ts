// The SSH transport: one ssh2 connection per host for the whole run; every run/exec/put/get
// is a channel of it. Scripts travel on stdin to `bash -s`. bash runs with --norc: under sshd it
// would source ~/.bashrc, which can cost 100+ ms and print into our output. A lost connection
// is reopened once by the next call; commands in flight on it end with code 255.

import pLimit from 'p-limit';
import type { Client, ClientChannel, SFTPWrapper } from 'ssh2';
import { type CommandIo, gather } from './output';
import { shq, stdinScript } from './shell';
import { connectSsh } from './ssh-connect';
import { stripPidReport, withPidReport } from './ssh-pid';
import type { SshSettings } from './ssh-settings';
import { sftpGet, sftpPut } from './ssh-sftp';
import {
  type ExecOptions,
  type ExecResult,
  type RunOptions,
  type Transport,
  TransportError,
} from './transport';

/** sshd allows 10 sessions per connection (MaxSessions): 8 commands, the SFTP channel and a kill. */
const MAX_COMMANDS = 8;

/** A host reached over one ssh2 connection. */
export class SshTransport implements Transport {
  private readonly limit = pLimit(MAX_COMMANDS);
  private client!: Client;
  private sftpChannel?: Promise<SFTPWrapper>;
  private reconnecting?: Promise<void>;
  private closed = false;
  private lost?: string;

  private constructor(
    readonly host: string,
    private readonly settings: SshSettings,
    client: Client,
  ) {
    this.attach(client);
  }

  /** Connects, checks the host key and logs in; fails with a TransportError that says why. */
  static async connect(host: string, settings: SshSettings): Promise<SshTransport> {
    return new SshTransport(host, settings, await connectSsh(host, settings));
  }

  run(script: string, opts: RunOptions = {}): Promise<ExecResult> {
    return this.command('exec bash --norc -s', { ...opts, stdin: stdinScript(script) });
  }

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return this.command(`exec bash --norc -c ${shq(command)}`, opts);
  }

  async put(remotePath: string, content: Buffer | string, mode = 0o644): Promise<void> {
    await sftpPut(await this.sftp(), remotePath, content, mode);
  }

  async get(remotePath: string): Promise<Buffer> {
    return sftpGet(await this.sftp(), remotePath);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.lost) return;
    const ended = new Promise<void>((resolve) => this.client.once('close', () => resolve()));
    this.client.end();
    // A polite disconnect; sshd may keep the socket open a while after it, so don't wait long.
    const late = await Promise.race([
      ended.then(() => false),
      new Promise<boolean>((r) => setTimeout(r, 200, true)),
    ]);
    if (late) this.client.destroy();
  }

  private attach(client: Client): void {
    this.client = client;
    this.lost = undefined;
    this.sftpChannel = undefined;
    const lose = (why: string): void => {
      if (this.client === client) this.lost ??= why; // a replaced connection's late events are old news
    };
    client.on('error', (err) => lose(err.message));
    client.on('close', () => lose('the server closed the connection'));
  }

  private command(inner: string, opts: ExecOptions): Promise<ExecResult> {
    return this.limit(async () => {
      const channel = await this.open<ClientChannel>((c, cb) => c.exec(withPidReport(inner), cb));
      let pid: number | undefined;
      const stderr = stripPidReport(channel.stderr, (p) => {
        pid = p;
      });
      let exit: { code: number | null; signal?: string } = { code: null };
      channel.on('exit', (code: number | null, signal?: string) => {
        exit = { code, signal }; // ssh2 names signals 'SIGTERM'
      });
      const io: CommandIo = {
        stdin: channel,
        stdout: channel,
        stderr,
        finished: Promise.all([
          new Promise((r) => channel.once('close', r)),
          new Promise((r) => stderr.once('end', r)),
        ]).then(() => exit),
        kill: () => this.kill(channel, pid),
      };
      return gather(io, opts);
    });
  }

  /** Kills the command's whole process group, then closes its channel. */
  private kill(channel: ClientChannel, pid: number | undefined): void {
    const closeChannel = (): void => {
      channel.close();
    };
    if (pid === undefined) {
      closeChannel();
      return;
    }
    this.open<ClientChannel>((c, cb) => c.exec(`kill -KILL -- -${pid} ${pid} 2>/dev/null; true`, cb)).then(
      (killer) => {
        killer.on('close', closeChannel).resume();
        killer.stderr.resume();
        killer.end();
      },
      closeChannel,
    );
  }

  private sftp(): Promise<SFTPWrapper> {
    if (!this.sftpChannel) {
      const opening = this.open<SFTPWrapper>((c, cb) => c.sftp(cb));
      this.sftpChannel = opening;
      const forget = (): void => {
        if (this.sftpChannel === opening) this.sftpChannel = undefined;
      };
      opening.then((s) => s.once('close', forget), forget);
    }
    return this.sftpChannel;
  }

  private async open<T>(
    start: (c: Client, cb: (err: Error | undefined, value: T) => void) => void,
  ): Promise<T> {
    if (this.closed) throw new TransportError(this.host, 'the transport was closed; open a new one');
    if (this.lost) await this.reconnect();
    return new Promise((resolve, reject) => {
      const failed = (err: Error) =>
        reject(new TransportError(this.host, `cannot open an SSH channel: ${err.message}`, { cause: err }));
      try {
        start(this.client, (err, value) => (err ? failed(err) : resolve(value)));
      } catch (err) {
        failed(err as Error);
      }
    });
  }

  private reconnect(): Promise<void> {
    const why = this.lost;
    this.reconnecting ??= connectSsh(this.host, this.settings)
      .then(
        (client) => this.attach(client),
        (err: Error) => {
          const reason = err.message.replace(`${this.host}: `, '');
          throw new TransportError(
            this.host,
            `the SSH connection was lost (${why}); reconnecting failed: ${reason}`,
            { cause: err },
          );
        },
      )
      .finally(() => {
        this.reconnecting = undefined;
      });
    return this.reconnecting;
  }
}
