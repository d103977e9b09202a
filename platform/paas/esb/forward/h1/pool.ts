import type { OutgoingHttpHeaders } from 'node:http';
import { Conn, type ConnOwner, H1Error, type H1Reply, type Job } from './conn';
import { requestHead } from './head';
import { BodyTooLarge, ResponseParser } from './parse';

const MAX_CONNS = 256;
const MAX_HEAD = 64 * 1024;
const TICK_MS = 50;
/** Methods that may be sent again when a kept-alive connection turns out to be closed (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** Calls in flight or queued, checked against their deadlines every tick. */
const active = new Set<Job>();
const pools = new Map<string, OriginPool>();
let ticker: NodeJS.Timeout | undefined;

function tick(): void {
  const now = Date.now();
  for (const job of active) {
    if (job.deadline > now) continue;
    const c = job.conn;
    if (c && c.job === job) {
      c.job = undefined;
      c.kill();
    }
    settle(job, new H1Error(`did not answer within ${job.timeoutMs} ms`, 'timeout'));
  }
  for (const p of pools.values()) p.sweep(now);
  if (active.size === 0 && [...pools.values()].every((p) => p.open === 0)) {
    clearInterval(ticker);
    ticker = undefined;
  }
}

function settle(job: Job, err: Error | undefined, reply?: H1Reply): void {
  if (job.done) return;
  job.done = true;
  active.delete(job);
  if (err) job.reject(err instanceof BodyTooLarge ? new H1Error(err.message, 'size') : err);
  else job.resolve(reply!);
}

/** Kept-alive connections to one `http://host:port`, at most MAX_CONNS; further calls wait in line. */
class OriginPool implements ConnOwner {
  open = 0;
  private readonly idle: Conn[] = [];
  private readonly queue: Job[] = [];
  readonly settle = settle;

  constructor(
    readonly hostname: string,
    readonly port: number,
    readonly host: string,
  ) {}

  /** Start `job` on an idle connection, a new one (`fresh` forces that), or queue it. */
  dispatch(job: Job, fresh = false): void {
    let c: Conn | undefined;
    const now = Date.now();
    while (!fresh && !c && this.idle.length > 0) {
      c = this.idle.pop()!;
      if (c.dead || c.expires <= now) {
        if (!c.dead) c.kill();
        c = undefined;
      }
    }
    if (!c) {
      if (this.open >= MAX_CONNS && !fresh) return void this.queue.push(job);
      c = new Conn(this);
      this.open++;
    }
    c.start(job);
  }

  release(c: Conn): void {
    const next = this.nextQueued();
    if (next) c.start(next);
    else this.idle.push(c);
  }

  closed(c: Conn, job: Job | undefined, gotBytes: boolean): void {
    this.open--;
    const i = this.idle.indexOf(c);
    if (i >= 0) this.idle.splice(i, 1);
    if (job) {
      if (job.parser.closed()) {
        const p = job.parser;
        settle(job, undefined, { status: p.status, headers: p.headers, body: p.body() });
      } else if (!gotBytes && c.served > 0 && !job.retried && IDEMPOTENT.has(job.method)) {
        job.retried = true; // the server had closed the kept-alive connection: send once more
        this.dispatch(job, true);
      } else {
        const why = c.error?.message ?? 'the connection closed';
        settle(
          job,
          new H1Error(`${why} ${gotBytes ? 'in the middle of the answer' : 'before an answer'}`, 'net'),
        );
      }
    }
    const next = this.nextQueued();
    if (next) this.dispatch(next);
  }

  private nextQueued(): Job | undefined {
    let job = this.queue.shift();
    while (job?.done) job = this.queue.shift();
    return job;
  }

  /** Close idle connections past their keep-alive time; drop timed-out calls from the line. */
  sweep(now: number): void {
    for (const c of this.idle) if (c.expires <= now) c.kill();
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i]!.done) this.queue.splice(i, 1);
  }
}

function poolOf(origin: string): OriginPool {
  let p = pools.get(origin);
  if (!p) {
    const u = new URL(origin);
    if (u.protocol !== 'http:') throw new Error(`h1 client: expected an http: origin, found ${origin}`);
    p = new OriginPool(u.hostname.replace(/^\[|\]$/g, ''), Number(u.port || 80), u.host);
    pools.set(origin, p);
  }
  return p;
}

/**
 * One HTTP/1.1 call over kept-alive connections to `origin` (`http://host:port`): the whole reply,
 * or an H1Error when no byte arrives for `timeoutMs`, the body passes `maxBody`, or the network fails.
 */
export function h1Request(
  origin: string,
  r: { method: string; path: string; headers: OutgoingHttpHeaders; body?: string; timeoutMs: number },
  maxBody: number,
): Promise<H1Reply> {
  const pool = poolOf(origin);
  const bytes = r.body === undefined ? undefined : Buffer.byteLength(r.body);
  const head = requestHead(r.method, r.path, pool.host, r.headers, bytes);
  return new Promise((resolve, reject) => {
    const job: Job = {
      method: r.method,
      head,
      body: r.body,
      timeoutMs: r.timeoutMs,
      deadline: Date.now() + r.timeoutMs,
      parser: new ResponseParser(r.method === 'HEAD', MAX_HEAD, maxBody),
      retried: false,
      done: false,
      resolve,
      reject,
    };
    active.add(job);
    ticker ??= setInterval(tick, TICK_MS).unref();
    pool.dispatch(job);
  });
}
