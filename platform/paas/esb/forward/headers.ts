import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { CallContext } from '../components/types';

/** Caller headers never passed to a back end: hop-by-hop, framing, cookies (they hold bk_token). */
const DROP = new Set([
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-type',
  'cookie',
  'authorization',
  'x-request-uri',
  'upgrade',
  'te',
  'trailer',
  'proxy-authorization',
  'expect',
]);

/** Identity headers ESB adds to every forwarded call. */
export function identityHeaders(ctx: CallContext): OutgoingHttpHeaders {
  const h: OutgoingHttpHeaders = {
    'bk-username': ctx.username,
    'bk-app-code': ctx.appCode,
    'x-bkapi-request-id': ctx.requestId,
  };
  for (const k of ['blueking-language', 'blueking-timezone']) if (ctx.headers[k]) h[k] = ctx.headers[k];
  return h;
}

/** The caller's headers minus the ones that must not travel (for self-service components). */
export function passThroughHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const h: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !DROP.has(k)) h[k] = v;
  return h;
}

/** A query string from parameters (objects and arrays as JSON). */
export function toQuery(params: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null) continue;
    q.append(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
  }
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}
