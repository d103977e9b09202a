// Client of the license service: mutual TLS with the platform certificate, a short cache, retries.
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { formatTime, type LicenseAnswer } from './codes';

export type { LicenseAnswer } from './codes';

/** Where the service is and which files prove who we are. */
export interface LicenseClientOptions {
  /** Base URL, e.g. https://license.service.consul:8443 */
  url: string;
  /** CA that signed the license server's certificate. */
  caPath: string;
  /** Platform certificate: sent as the TLS client certificate and as the body's `certificate`. */
  certPath: string;
  keyPath: string;
  /** How long a valid answer is reused (default 60 s); invalid answers are never cached. */
  ttlMs?: number;
  /** Extra attempts after a failed call (default 2). */
  retries?: number;
  /** Delay before the first retry, doubled each time (default 200 ms). */
  backoffMs?: number;
  /** Per-attempt timeout (default 5 s). */
  timeoutMs?: number;
  /** Caller name sent as `platform` (default bkcec). */
  platform?: string;
}

/** A client; `check` resolves with the service's answer or rejects when every attempt failed. */
export interface LicenseClient {
  check(): Promise<LicenseAnswer>;
}

/** Thrown for a failure that must not be retried (a 4xx status: the request itself is wrong). */
class FinalError extends Error {}

/** TLS verification and handshake refusals are set-up mistakes: retrying cannot help. */
function isFinal(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return err instanceof FinalError || /^ERR_(TLS|SSL)_|CERT|UNABLE_TO_/.test(code);
}

function isAnswer(v: unknown): v is LicenseAnswer {
  const a = v as LicenseAnswer;
  return typeof v === 'object' && v !== null && typeof a.result === 'number' && typeof a.status === 'boolean';
}

async function attempt(o: LicenseClientOptions): Promise<LicenseAnswer> {
  const [ca, cert, key] = await Promise.all([
    readFile(o.caPath),
    readFile(o.certPath, 'utf8'),
    readFile(o.keyPath),
  ]);
  const body = JSON.stringify({
    certificate: cert,
    platform: o.platform ?? 'bkcec',
    requesttime: formatTime(new Date()),
  });
  const target = new URL('/certificate', o.url);
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        ca,
        cert,
        key,
        agent: false,
        timeout: o.timeoutMs ?? 5000,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          const status = res.statusCode ?? 0;
          if (status === 200 && isAnswer(parsed)) return resolve(parsed);
          const err = `expected HTTP 200 with a license answer from ${target}, found HTTP ${status}: ${text.slice(0, 200)}`;
          reject(status >= 400 && status < 500 ? new FinalError(err) : new Error(err));
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`no answer from ${target} within ${o.timeoutMs ?? 5000} ms`)),
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Makes a client; concurrent `check` calls share one request. */
export function createLicenseClient(options: LicenseClientOptions): LicenseClient {
  const ttlMs = options.ttlMs ?? 60_000;
  const retries = options.retries ?? 2;
  const backoffMs = options.backoffMs ?? 200;
  let cached: { answer: LicenseAnswer; until: number } | undefined;
  let inflight: Promise<LicenseAnswer> | undefined;

  async function withRetries(): Promise<LicenseAnswer> {
    for (let i = 0; ; i++) {
      try {
        const answer = await attempt(options);
        if (answer.result === 0 && ttlMs > 0) cached = { answer, until: Date.now() + ttlMs };
        return answer;
      } catch (err) {
        if (isFinal(err) || i >= retries) {
          throw new Error(`license check failed after ${i + 1} attempt(s): ${(err as Error).message}`);
        }
        await new Promise((r) => setTimeout(r, backoffMs * 2 ** i));
      }
    }
  }

  return {
    check() {
      if (cached && Date.now() < cached.until) return Promise.resolve(cached.answer);
      inflight ??= withRetries().finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
  };
}
