import type { Socket } from 'node:net';
import type { Incoming, Outgoing } from '../gateway';
import { channelPath, internalOut, MAX_BODY } from '../http';
import { type FastHead, parseHead } from './head';
import { writeAnswer } from './reply';

const HEAD_END = Buffer.from('\r\n\r\n');
/** Pipelined bytes buffered while a call is answered; past this, reading pauses. */
const MAX_BUFFERED = 1024 * 1024;

/** A handler for the channel paths under `prefix` (which ends with /). */
export interface FastRoute {
  prefix: string;
  fn: (inc: Incoming) => Promise<Outgoing>;
}

/** What all fast-path connections share. */
export interface FastEnv {
  routes: readonly FastRoute[];
  prefixes: readonly string[];
  /** Largest request head (node:http's maxHeaderSize). */
  maxHead: number;
  /** `Keep-Alive: timeout=` in seconds (0: none sent). */
  keepAliveSec(): number;
  /** Shutting down: answer what is in flight, then close. */
  closing: boolean;
  crash(e: Error): void;
  /** Give the connection to node:http, which reads it from the next request on. */
  handOff(socket: Socket): void;
  conns: Set<FastConn>;
}

/** One client connection served without node:http while its requests stay on the fast path. */
export class FastConn {
  /** When the request being received began (ms), 0 when none is. */
  partialSince = 0;
  /** When the last answer went out (ms). */
  idleSince = Date.now();
  /** A call is being answered. */
  busy = false;
  /** Received bytes not parsed yet, joined only when needed (a large body is copied once). */
  private chunks: Buffer[] = [];
  private size = 0;
  private head?: FastHead;
  /** The client half-closed: answer what was asked, then close. */
  private ended = false;

  constructor(
    readonly socket: Socket,
    private readonly env: FastEnv,
  ) {
    socket.on('data', this.onData);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
    socket.on('end', this.onEnd);
  }

  /** True while the head is read and only the body is missing. */
  get inBody(): boolean {
    return this.head !== undefined;
  }

  private readonly onError = (): void => {}; // 'close' follows
  private readonly onEnd = (): void => {
    this.ended = true;
    if (!this.busy) this.socket.end();
  };
  private readonly onClose = (): void => {
    this.env.conns.delete(this);
  };

  private readonly onData = (d: Buffer): void => {
    if (this.size === 0 && !this.head && !this.busy) this.partialSince = Date.now();
    this.chunks.push(d);
    this.size += d.length;
    if (!this.busy) this.next();
    else if (this.size > MAX_BUFFERED) this.socket.pause();
  };

  /** Parse the next request from what was received and answer it, or hand the connection off. */
  private next(): void {
    if (!this.head) {
      if (this.size === 0) return;
      const b = this.joined();
      const end = b.indexOf(HEAD_END);
      if (end < 0 ? b.length > this.env.maxHead : end > this.env.maxHead) {
        this.handOff();
        return;
      }
      if (end < 0) return;
      const h = parseHead(b.toString('latin1', 0, end), this.env.prefixes, MAX_BODY);
      if (!h) {
        this.handOff();
        return;
      }
      this.head = h;
      this.consume(end + 4);
    }
    const h = this.head;
    if (this.size < h.bodyBytes) return;
    const body =
      h.bodyBytes === 0 || h.method === 'GET' ? '' : this.joined().toString('utf8', 0, h.bodyBytes);
    this.consume(h.bodyBytes);
    this.head = undefined;
    this.partialSince = this.size > 0 ? Date.now() : 0;
    this.serve(h, body);
  }

  /** The received bytes as one buffer. */
  private joined(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.size)];
    return this.chunks[0]!;
  }

  /** Drop the first `n` received bytes. */
  private consume(n: number): void {
    if (n === 0) return;
    const b = this.joined();
    this.size -= n;
    this.chunks = this.size > 0 ? [b.subarray(n)] : [];
  }

  private serve(h: FastHead, rawBody: string): void {
    this.busy = true;
    const route = this.env.routes.find((r) => h.url.startsWith(r.prefix))!;
    let p: Promise<Outgoing>;
    try {
      const path = channelPath(h.url, route.prefix);
      p = route.fn({ method: h.method, url: h.url, path, headers: h.headers, rawBody });
    } catch (e) {
      p = Promise.reject(e);
    }
    p.then(
      (out) => this.answer(out, h.close),
      (e: Error) => {
        this.env.crash(e);
        this.answer(internalOut(h.headers), h.close);
      },
    );
  }

  private answer(out: Outgoing, close: boolean): void {
    const s = this.socket;
    if (s.destroyed) return;
    const end = close || this.ended || this.env.closing;
    const ka = end ? undefined : this.env.keepAliveSec();
    try {
      writeAnswer(s, out, ka);
    } catch (e) {
      this.env.crash(e as Error);
      writeAnswer(s, internalOut({}), ka);
    }
    if (end) {
      s.end();
      return;
    }
    this.busy = false;
    this.idleSince = Date.now();
    if (s.isPaused()) s.resume();
    this.next();
  }

  /** Close now unless a call is being answered (used when shutting down). */
  closeIfIdle(): void {
    if (!this.busy) this.socket.destroy();
  }

  private handOff(): void {
    const s = this.socket;
    s.removeListener('data', this.onData);
    s.removeListener('error', this.onError);
    s.removeListener('close', this.onClose);
    s.removeListener('end', this.onEnd);
    this.env.conns.delete(this);
    s.pause();
    if (this.size > 0) s.unshift(this.joined());
    this.chunks = [];
    this.size = 0;
    this.env.handOff(s);
    s.resume();
  }
}
