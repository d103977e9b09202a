import type { IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { ResponseParser } from './parse';

/** A complete reply. */
export interface H1Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Why a call failed: no answer in time, an answer too large, or a network/protocol failure. */
export class H1Error extends Error {
  constructor(
    message: string,
    readonly kind: 'timeout' | 'size' | 'net',
  ) {
    super(message);
  }
}

/** One call in flight (or queued for a connection). */
export interface Job {
  method: string;
  head: string;
  body: string | undefined;
  timeoutMs: number;
  /** Time (ms) after which the call fails; pushed back whenever bytes arrive. */
  deadline: number;
  parser: ResponseParser;
  /** Already re-sent once after a kept-alive connection turned out closed. */
  retried: boolean;
  conn?: Conn;
  done: boolean;
  resolve(r: H1Reply): void;
  reject(e: Error): void;
}

/** What a connection tells its pool. */
export interface ConnOwner {
  readonly hostname: string;
  readonly port: number;
  /** The reply is complete and the connection can carry another call. */
  release(c: Conn): void;
  /** The connection closed; `job` (if any) was cut short and is the pool's to retry or fail. */
  closed(c: Conn, job: Job | undefined, gotBytes: boolean): void;
  settle(job: Job, err: Error | undefined, reply?: H1Reply): void;
}

/** One read buffer for every connection: each read is parsed (and what is kept copied) at once. */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** A kept-alive TCP connection to one origin, carrying one call at a time. */
export class Conn {
  readonly socket: Socket;
  job?: Job;
  /** Replies completed on this connection. */
  served = 0;
  /** When idle: close rather than reuse after this time (ms). */
  expires = 0;
  dead = false;
  /** The last socket error, for the message when the call is cut short. */
  error?: Error;
  private gotBytes = false;

  constructor(private readonly owner: ConnOwner) {
    this.socket = connect({
      host: owner.hostname,
      port: owner.port,
      noDelay: true,
      onread: {
        buffer: READ_BUFFER,
        callback: (n: number) => {
          this.onData(READ_BUFFER.subarray(0, n));
          return true;
        },
      },
    });
    this.socket.on('error', (e) => {
      this.error = e;
    });
    this.socket.on('close', () => this.onClose());
  }

  /** Send `job` on this connection. */
  start(job: Job): void {
    this.job = job;
    this.gotBytes = false;
    job.conn = this;
    const s = this.socket;
    if (this.served > 0) s.ref();
    if (job.body === undefined || job.body === '') s.write(job.head, 'latin1');
    else {
      s.cork();
      s.write(job.head, 'latin1');
      s.write(job.body, 'utf8');
      s.uncork();
    }
  }

  /** Close now; the pool hears about it through `closed`. */
  kill(): void {
    this.dead = true;
    this.socket.destroy();
  }

  private onData(d: Buffer): void {
    const job = this.job;
    if (!job) {
      this.kill(); // bytes nobody asked for: the connection is out of step
      return;
    }
    this.gotBytes = true;
    job.deadline = Date.now() + job.timeoutMs;
    let complete: boolean;
    try {
      complete = job.parser.feed(d);
    } catch (e) {
      this.job = undefined;
      this.kill();
      this.owner.settle(job, e as Error);
      return;
    }
    if (!complete) return;
    const p = job.parser;
    this.job = undefined;
    this.served++;
    // Still sending the body (the server answered early): the stream is out of step.
    if (!p.reusable || this.socket.writableLength > 0) this.kill();
    else {
      this.expires = Date.now() + Math.min(10_000, (p.keepAliveHintMs ?? 11_000) - 1_000);
      this.socket.unref();
      this.owner.release(this);
    }
    this.owner.settle(job, undefined, { status: p.status, headers: p.headers, body: p.body() });
  }

  private onClose(): void {
    this.dead = true;
    const job = this.job;
    this.job = undefined;
    this.owner.closed(this, job && !job.done ? job : undefined, this.gotBytes);
  }
}
