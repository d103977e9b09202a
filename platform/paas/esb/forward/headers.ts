import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { CallContext } from '../components/types';
import { formEncode } from '../params/query';

/** Caller headers never passed to a back end: hop-by-hop, framing, credentials (cookies hold bk_token). */
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
  'x-bkapi-authorization',
  'x-bkcec-front-door',
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
  const lang = ctx.headers['blueking-language'];
  const tz = ctx.headers['blueking-timezone'];
  if (lang) h['blueking-language'] = lang;
  if (tz) h['blueking-timezone'] = tz;
  return h;
}

/** The caller's headers minus the ones that must not travel (for self-service components). */
export function passThroughHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const h: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !DROP.has(k)) h[k] = v;
  return h;
}

/** A query string from parameters (objects and arrays as JSON), encoded as URLSearchParams does. */
export function toQuery(params: Record<string, unknown>): string {
  let s = '';
  for (const k in params) {
    const v = params[k];
    if (v === undefined || v === null || !Object.hasOwn(params, k)) continue;
    s += `${s === '' ? '?' : '&'}${formEncode(k)}=${formEncode(typeof v === 'object' ? JSON.stringify(v) : String(v))}`;
  }
  return s;
}
