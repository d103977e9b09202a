import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

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
const FLUSH_BYTES = 256 * 1024;

/**
 * Append-only JSON-lines writers for `esb_api.log` and the program log (`esb.log`), or
 * stdout/stderr. API lines are batched: one write every 100 ms (or 256 KiB), not one per call.
 */
export class EsbLogs {
  private readonly api?: WriteStream;
  private readonly prog?: WriteStream;
  private readonly lastSeen = new Map<string, number>();
  private pending: string[] = [];
  private pendingBytes = 0;
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
    const line = JSON.stringify(e);
    this.pending.push(line);
    this.pendingBytes += line.length + 1;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  /** Write the queued API lines now. */
  flush(): void {
    if (this.pending.length === 0) return;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    this.pendingBytes = 0;
    if (this.api) this.api.write(text);
    else process.stdout.write(text);
  }

  /** Write an operational message; the same message at most once every 10 s. */
  info = (msg: string): void => {
    const now = Date.now();
    if (now - (this.lastSeen.get(msg) ?? 0) < 10_000) return;
    if (this.lastSeen.size > 1000) this.lastSeen.clear();
    this.lastSeen.set(msg, now);
    const line = `${JSON.stringify({ time: new Date(now).toISOString(), msg })}\n`;
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
