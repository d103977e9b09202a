import type { IncomingHttpHeaders } from 'node:http';

/** A reply that breaks HTTP/1.1 framing; the connection is not reused after it. */
export class HttpParseError extends Error {}

/** A reply body over the size limit. */
export class BodyTooLarge extends Error {}

/** Parser states. */
const S = {
  Head: 0,
  Length: 1,
  Close: 2,
  ChunkSize: 3,
  ChunkData: 4,
  ChunkEnd: 5,
  Trailers: 6,
  Done: 7,
} as const;
type State = (typeof S)[keyof typeof S];

const HEAD_END = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const STATUS = /^HTTP\/1\.([01]) ([1-9][0-9][0-9])(?: |$)/;
const HEX = /^[0-9a-fA-F]{1,8}$/;
/** Field values: tab, visible ASCII, spaces and obs-text, as llhttp accepts them. */
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
const MAX_LINE = 8 * 1024;

/**
 * Incremental parser of one HTTP/1.x response (RFC 9112 §6.3 framing: no body for HEAD/204/304,
 * chunked, Content-Length, else until the connection closes); 1xx interim replies are skipped.
 */
export class ResponseParser {
  status = 0;
  headers: IncomingHttpHeaders = {};
  /** False when the connection must not carry another request after this reply. */
  reusable = true;
  /** The server's `Keep-Alive: timeout=N` hint in ms, when it sent one. */
  keepAliveHintMs?: number;
  private state: State = S.Head;
  private pending?: Buffer;
  private remaining = 0;
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly noBody: boolean,
    private readonly maxHead: number,
    private readonly maxBody: number,
  ) {}

  /**
   * Consume bytes; true once the reply is complete. Throws HttpParseError or BodyTooLarge.
   * `data` may be a reused read buffer: whatever the parser keeps is copied.
   */
  feed(data: Buffer): boolean {
    const b = this.pending ? Buffer.concat([this.pending, data]) : data;
    this.pending = undefined;
    let i = 0;
    for (;;) {
      switch (this.state) {
        case S.Head: {
          const end = b.indexOf(HEAD_END, i);
          if (end < 0) return this.wait(b, i, this.maxHead, 'header section');
          this.head(b.toString('latin1', i, end));
          i = end + 4;
          break;
        }
        case S.Length:
        case S.ChunkData: {
          const n = Math.min(this.remaining, b.length - i);
          if (n > 0) this.push(b.subarray(i, i + n));
          i += n;
          this.remaining -= n;
          if (this.remaining > 0) return false;
          this.state = this.state === S.Length ? S.Done : S.ChunkEnd;
          break;
        }
        case S.Close:
          if (i < b.length) this.push(b.subarray(i));
          return false;
        case S.ChunkSize: {
          const eol = b.indexOf('\r\n', i, 'latin1');
          if (eol < 0) return this.wait(b, i, MAX_LINE, 'chunk size line');
          const line = b.toString('latin1', i, eol);
          const semi = line.indexOf(';');
          const hex = (semi < 0 ? line : line.slice(0, semi)).trim();
          if (!HEX.test(hex))
            throw new HttpParseError(`bad chunk size line ${JSON.stringify(line.slice(0, 40))}`);
          this.remaining = Number.parseInt(hex, 16);
          this.state = this.remaining === 0 ? S.Trailers : S.ChunkData;
          i = eol + 2;
          break;
        }
        case S.ChunkEnd:
          if (b.length - i < 2) return this.wait(b, i, 2, 'chunk end');
          if (b[i] !== 13 || b[i + 1] !== 10) throw new HttpParseError('expected CRLF after a chunk');
          this.state = S.ChunkSize;
          i += 2;
          break;
        case S.Trailers: {
          const eol = b.indexOf('\r\n', i, 'latin1');
          if (eol < 0) return this.wait(b, i, MAX_LINE, 'trailer line');
          if (eol === i) this.state = S.Done;
          i = eol + 2;
          break;
        }
        case S.Done:
          if (i < b.length) this.reusable = false; // bytes nobody asked for
          return true;
      }
    }
  }

  /** The connection closed: true when that ends a close-delimited body; false when the reply is cut short. */
  closed(): boolean {
    if (this.state === S.Close) this.state = S.Done;
    return this.state === S.Done;
  }

  /** The whole body. */
  body(): Buffer {
    if (this.chunks.length === 0) return EMPTY;
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
  }

  private wait(b: Buffer, i: number, limit: number, what: string): false {
    if (b.length - i > limit) throw new HttpParseError(`the ${what} is longer than ${limit} bytes`);
    this.pending = Buffer.from(b.subarray(i));
    return false;
  }

  private push(c: Buffer): void {
    this.size += c.length;
    if (this.size > this.maxBody) throw new BodyTooLarge(`more than ${this.maxBody} bytes`);
    this.chunks.push(Buffer.from(c));
  }

  private head(text: string): void {
    const lines = text.split('\r\n');
    const m = STATUS.exec(lines[0]!);
    if (!m)
      throw new HttpParseError(
        `expected an HTTP/1.x status line, found ${JSON.stringify(lines[0]!.slice(0, 40))}`,
      );
    const status = Number(m[2]);
    const h: IncomingHttpHeaders = {};
    for (let k = 1; k < lines.length; k++) {
      const line = lines[k]!;
      const colon = line.indexOf(':');
      const name = colon > 0 ? line.slice(0, colon).toLowerCase() : '';
      if (!TOKEN.test(name)) throw new HttpParseError(`bad header line ${JSON.stringify(line.slice(0, 40))}`);
      const value = line.slice(colon + 1).trim();
      if (BAD_VALUE.test(value)) throw new HttpParseError(`bad value in header ${name}`);
      const old = h[name];
      if (old === undefined) h[name] = name === 'set-cookie' ? [value] : value;
      else if (Array.isArray(old)) old.push(value);
      else h[name] = `${old}, ${value}`;
    }
    if (status < 200) {
      if (status === 101) throw new HttpParseError('unexpected 101 Switching Protocols');
      return; // interim reply: the real one follows
    }
    this.status = status;
    this.headers = h;
    this.frame(m[1] === '1', h);
  }

  private frame(http11: boolean, h: IncomingHttpHeaders): void {
    const conn = String(h.connection ?? '').toLowerCase();
    if (!http11 || conn.includes('close')) this.reusable = false;
    const ka = /timeout=(\d+)/i.exec(String(h['keep-alive'] ?? ''));
    if (ka) this.keepAliveHintMs = Number(ka[1]) * 1000;
    const te = h['transfer-encoding'];
    const cl = h['content-length'];
    if (this.noBody || this.status === 204 || this.status === 304) this.state = S.Done;
    else if (te !== undefined) {
      const codings = te.toLowerCase().split(',');
      if (codings[codings.length - 1]!.trim() === 'chunked') this.state = S.ChunkSize;
      else this.state = S.Close;
      if (cl !== undefined || this.state === S.Close) this.reusable = false;
    } else if (cl !== undefined) {
      const values = cl.split(',').map((v) => v.trim());
      if (!values.every((v) => /^[0-9]{1,15}$/.test(v) && v === values[0]))
        throw new HttpParseError(`bad Content-Length ${JSON.stringify(cl.slice(0, 40))}`);
      this.remaining = Number(values[0]);
      if (this.remaining > this.maxBody) throw new BodyTooLarge(`more than ${this.maxBody} bytes`);
      this.state = this.remaining === 0 ? S.Done : S.Length;
    } else {
      this.state = S.Close;
      this.reusable = false;
    }
  }
}
