import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../../common/security/redact';

/** One API log line (reference §4.6); never parameters, secrets or tokens. */
export interface ApiLogEntry {
  request_id: string;
  app_code: string;
  username: string;
  method: string;
  path: string;
  system: string;
  component: string;
  result: boolean;
  code: number | string;
  status: number;
  duration_ms: number;
  start: string;
  error?: string;
}

const FLUSH_MS = 100;

let isoSecond = -1;
let isoPrefix = '';

/** `new Date(ms).toISOString()`, formatting the date part once per second. */
export function isoTime(ms: number): string {
  const sec = Math.floor(ms / 1000);
  if (sec !== isoSecond) {
    isoSecond = sec;
    isoPrefix = new Date(sec * 1000).toISOString().slice(0, 20);
  }
  const milli = ms - sec * 1000;
  return `${isoPrefix}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

/** A string as a JSON literal; most values need no escaping. */
const PLAIN = /^[^"\\\u0000-\u001f\u007f-\uffff]*$/;
function str(s: string): string {
  return PLAIN.test(s) ? `"${s}"` : JSON.stringify(s);
}

/** One API log line, fields in the order of ApiLogEntry (what JSON.stringify(e) gives, faster). */
function apiLine(e: ApiLogEntry): string {
  const code = typeof e.code === 'number' ? JSON.stringify(e.code) : str(e.code);
  const error = !e.error ? '' : `,"error":${str(redact(e.error))}`;
  return `{"request_id":${str(e.request_id)},"app_code":${str(e.app_code)},"username":${str(e.username)},"method":${str(e.method)},"path":${str(e.path)},"system":${str(e.system)},"component":${str(e.component)},"result":${e.result},"code":${code},"status":${e.status},"duration_ms":${e.duration_ms},"start":${str(e.start)}${error}}`;
}
const FLUSH_BYTES = 256 * 1024;

/**
 * Append-only JSON-lines writers for `esb_api.log` and the program log (`esb.log`), or
 * stdout/stderr. API lines are batched: one write every 100 ms (or 256 KiB), not one per call.
 */
export class EsbLogs {
  private readonly api?: WriteStream;
  private readonly prog?: WriteStream;
  private readonly lastSeen = new Map<string, number>();
  /** API lines not yet written, UTF-8 encoded as they come (no strings kept alive until the flush). */
  private batch = Buffer.allocUnsafe(FLUSH_BYTES);
  private used = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(logDir: string | undefined) {
    this.timer = setInterval(() => this.flush(), FLUSH_MS);
    this.timer.unref();
    if (!logDir) return;
    mkdirSync(logDir, { recursive: true });
    this.api = createWriteStream(join(logDir, 'esb_api.log'), { flags: 'a', mode: 0o640 });
    this.prog = createWriteStream(join(logDir, 'esb.log'), { flags: 'a', mode: 0o640 });
  }

  /** Queue one API call line. */
  call(e: ApiLogEntry): void {
    const line = `${apiLine(e)}\n`;
    const worst = line.length * 3; // UTF-8 bytes per UTF-16 unit, at most
    if (this.used + worst > this.batch.length) {
      this.flush();
      if (worst > this.batch.length) {
        this.out(Buffer.from(line));
        return;
      }
    }
    this.used += this.batch.write(line, this.used, 'utf8');
  }

  /** Write the queued API lines now. */
  flush(): void {
    if (this.used === 0) return;
    const chunk = this.batch.subarray(0, this.used);
    this.batch = Buffer.allocUnsafe(FLUSH_BYTES);
    this.used = 0;
    this.out(chunk);
  }

  private out(chunk: Buffer): void {
    if (this.api) this.api.write(chunk);
    else process.stdout.write(chunk);
  }

  /** Write an operational message; the same message at most once every 10 s. */
  info = (msg: string): void => {
    const now = Date.now();
    if (now - (this.lastSeen.get(msg) ?? 0) < 10_000) return;
    if (this.lastSeen.size > 1000) this.lastSeen.clear();
    this.lastSeen.set(msg, now);
    const line = `${JSON.stringify({ time: new Date(now).toISOString(), msg: redact(msg) })}\n`;
    if (this.prog) this.prog.write(line);
    else process.stderr.write(line);
  };

  /** Flush and close the files. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.flush();
    await Promise.all(
      [this.api, this.prog].map((s) => (s ? new Promise<void>((r) => s.end(() => r())) : Promise.resolve())),
    );
  }
}
