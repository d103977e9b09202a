import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { Agent } from 'undici';
import { H1Error } from './h1/conn';
import { h1Request } from './h1/pool';

/** A back-end answer, body fully read. */
export interface UpstreamReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Raised for network errors and deadlines; `timedOut` tells which. */
export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
  ) {
    super(message);
  }
}

const MAX_BODY = 16 * 1024 * 1024;
/** Keep-alive connection pools for https: origins (undici); http: ones use the lighter h1 client. */
const agent = new Agent({
  connections: 256,
  keepAliveTimeout: 10_000,
  keepAliveMaxTimeout: 60_000,
  pipelining: 1,
  maxResponseSize: MAX_BODY,
});
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** One outgoing call. */
export interface UpstreamRequest {
  /** `http://host:port` */
  origin: string;
  /** Path plus query string. */
  path: string;
  method: string;
  headers: OutgoingHttpHeaders;
  body?: string;
  /** Deadline for the answer's headers, and again for each pause while its body streams. */
  timeoutMs: number;
}

function flat(h: OutgoingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in h) {
    const v = h[k];
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

/** The UpstreamError for a failed call: timeout, oversized answer, or anything else. */
function failure(r: UpstreamRequest, e: unknown): UpstreamError {
  const where = `${r.method} ${r.origin}${r.path.split('?')[0]}`;
  const code = (e as { code?: string }).code ?? '';
  const kind = e instanceof H1Error ? e.kind : '';
  if (kind === 'timeout' || TIMEOUT_CODES.has(code))
    return new UpstreamError(`${where} did not answer within ${r.timeoutMs} ms`, true);
  if (kind === 'size' || code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE')
    return new UpstreamError(`${where} answered more than ${MAX_BODY} bytes`, false);
  return new UpstreamError(`${where} failed: ${(e as Error).message}`, false);
}

async function viaUndici(r: UpstreamRequest): Promise<UpstreamReply> {
  const res = await agent.request({
    origin: r.origin,
    path: r.path,
    method: r.method as 'GET',
    headers: flat(r.headers),
    body: r.body,
    headersTimeout: r.timeoutMs,
    bodyTimeout: r.timeoutMs,
  });
  const body = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, headers: res.headers as IncomingHttpHeaders, body };
}

/**
 * Send a request over the shared keep-alive pools and read the whole reply; fails with an
 * UpstreamError (never hangs) when the deadline passes or the body exceeds 16 MiB.
 */
export function upstream(r: UpstreamRequest): Promise<UpstreamReply> {
  const fail = (e: unknown): never => {
    throw failure(r, e);
  };
  try {
    return (r.origin.startsWith('http:') ? h1Request(r.origin, r, MAX_BODY) : viaUndici(r)).catch(fail);
  } catch (e) {
    return Promise.reject(failure(r, e));
  }
}
