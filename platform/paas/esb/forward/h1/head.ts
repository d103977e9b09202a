import type { OutgoingHttpHeaders } from 'node:http';

/** A request the client cannot put on the wire (bad method, path or header); nothing was sent. */
export class BadRequestError extends Error {}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Header values: visible ASCII, spaces, tabs and obs-text; never CR, LF or NUL. */
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
/** Request targets: no controls, spaces or characters above latin-1. */
const BAD_PATH = /[^\u0021-\u00ff]/;
/** Framing and connection headers this client sets itself (or never sends). */
const OWN = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'expect',
  'te',
  'trailer',
]);

function value(name: string, v: unknown): string {
  const s = Array.isArray(v) ? v.join(', ') : String(v);
  if (BAD_VALUE.test(s)) throw new BadRequestError(`invalid value for header ${name}`);
  return s;
}

/**
 * The request line and header section (latin-1) for `method path`: `host` unless the caller
 * gave one, the caller's headers minus framing ones, `content-length` when there is a body.
 */
export function requestHead(
  method: string,
  path: string,
  host: string,
  headers: OutgoingHttpHeaders,
  bodyBytes: number | undefined,
): string {
  if (!TOKEN.test(method)) throw new BadRequestError(`invalid method ${JSON.stringify(method)}`);
  if (path[0] !== '/' || BAD_PATH.test(path)) throw new BadRequestError('invalid request path');
  let head = `${method} ${path} HTTP/1.1\r\n`;
  let hasHost = false;
  for (const k in headers) {
    const v = headers[k];
    if (v === undefined) continue;
    const name = k.toLowerCase();
    if (OWN.has(name)) continue;
    if (!TOKEN.test(k)) throw new BadRequestError(`invalid header name ${JSON.stringify(k.slice(0, 40))}`);
    if (name === 'host') hasHost = true;
    head += `${k}: ${value(k, v)}\r\n`;
  }
  if (!hasHost) head += `host: ${host}\r\n`;
  if (bodyBytes !== undefined) head += `content-length: ${bodyBytes}\r\n`;
  return `${head}\r\n`;
}
