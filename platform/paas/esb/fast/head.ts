import type { IncomingHttpHeaders } from 'node:http';

/** A request head the fast path answers itself. */
export interface FastHead {
  method: 'GET' | 'POST';
  url: string;
  headers: IncomingHttpHeaders;
  bodyBytes: number;
  /** The client asked to close the connection after this answer. */
  close: boolean;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Origin-form targets of visible ASCII only. */
const TARGET = /^\/[\x21-\x7e]*$/;
/** Field values: tab, visible ASCII, spaces and obs-text; node:http refuses the rest. */
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
const OWS = /^[ \t]+|[ \t]+$/g;

/**
 * Parse a request head (latin-1 text without the final blank line) when it is one the fast path
 * serves: `GET`/`POST` to one of `prefixes` over HTTP/1.1 with a Host, no duplicate or malformed
 * fields, no Transfer-Encoding/Expect/Upgrade, a body of at most `maxBody` bytes. Anything else
 * gives undefined, and node:http gets the connection (it answers or refuses the request itself).
 */
export function parseHead(text: string, prefixes: readonly string[], maxBody: number): FastHead | undefined {
  const lines = text.split('\r\n');
  const first = lines[0]!;
  const sp1 = first.indexOf(' ');
  const sp2 = first.lastIndexOf(' ');
  if (sp1 <= 0 || sp2 <= sp1 || first.slice(sp2 + 1) !== 'HTTP/1.1') return undefined;
  const method = first.slice(0, sp1);
  if (method !== 'GET' && method !== 'POST') return undefined;
  const url = first.slice(sp1 + 1, sp2);
  if (!TARGET.test(url) || !prefixes.some((p) => url.startsWith(p))) return undefined;
  const headers: Record<string, string> = {};
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) return undefined;
    const key = name.toLowerCase();
    if (Object.hasOwn(headers, key) || key === '__proto__') return undefined;
    const value = line.slice(colon + 1).replace(OWS, '');
    if (BAD_VALUE.test(value)) return undefined;
    headers[key] = value;
  }
  if (!headers.host || headers['transfer-encoding'] !== undefined) return undefined;
  if (headers.expect !== undefined || headers.upgrade !== undefined) return undefined;
  const cl = headers['content-length'];
  let bodyBytes = 0;
  if (cl !== undefined) {
    if (!/^[0-9]{1,10}$/.test(cl)) return undefined;
    bodyBytes = Number(cl);
    if (bodyBytes > maxBody) return undefined; // node:http's path answers 413
  }
  const close = headers.connection !== undefined && /(^|,)[ \t]*close[ \t]*(,|$)/i.test(headers.connection);
  return { method, url, headers, bodyBytes, close };
}
