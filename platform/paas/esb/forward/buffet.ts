import type { OutgoingHttpHeaders } from 'node:http';
import type { BuffetRow } from '../catalog/types';
import { CODE, EsbError } from '../codes';
import type { CallContext, ComponentResult } from '../components/types';
import { SENSITIVE, without } from '../params/params';
import { fillTemplate } from '../routing/path';
import { identityHeaders, passThroughHeaders, toQuery } from './headers';
import { interpret, send } from './reply';

function extraHeaders(row: BuffetRow): OutgoingHttpHeaders {
  if (!row.extra_headers) return {};
  try {
    const v = JSON.parse(row.extra_headers) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const out: OutgoingHttpHeaders = {};
      for (const [k, x] of Object.entries(v)) out[k.toLowerCase()] = String(x);
      return out;
    }
  } catch {}
  throw new EsbError(
    CODE.COMMON,
    `Self-service component ${row.name} has invalid extra_headers: expected a JSON object`,
  );
}

/**
 * Forward a self-service ("buffet") call to its `dest_url`: the caller's headers pass through
 * (minus cookies and framing), plus the row's extra headers and the ESB identity headers;
 * parameters go without the sensitive ones; a non-JSON answer is passed through unchanged.
 */
export async function forwardBuffet(row: BuffetRow, ctx: CallContext): Promise<ComponentResult> {
  const params = without(ctx.params, SENSITIVE);
  const method = (row.dest_http_method === '_ORIG' ? ctx.method : row.dest_http_method).toUpperCase();
  let dest: string;
  try {
    dest = fillTemplate(row.dest_url, { ...params, ...ctx.pathVars });
  } catch (e) {
    throw new EsbError(CODE.ARGUMENT, (e as Error).message);
  }
  const hasBody = method !== 'GET' && method !== 'DELETE';
  const form = row.favor_post_ctype === 'form';
  const url = new URL(hasBody ? dest : dest + toQuery(params));
  const headers: OutgoingHttpHeaders = {
    ...passThroughHeaders(ctx.headers),
    ...extraHeaders(row),
    ...identityHeaders(ctx),
  };
  let body: string | undefined;
  if (hasBody) {
    headers['content-type'] = form ? 'application/x-www-form-urlencoded' : 'application/json';
    body = form ? toQuery(params).slice(1) : JSON.stringify(params);
  }
  const reply = await send({
    origin: url.origin,
    path: url.pathname + url.search,
    method,
    headers,
    body,
    timeoutMs: ctx.timeoutMs,
  });
  return interpret(reply, `self-service ${row.name} ${method} ${url.pathname}`, true);
}
