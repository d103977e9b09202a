// Encoded-path attacks: spellings of one path that a router may decode or normalise to the same
// route while a check on the raw URL would not recognise it. Sent with rawRequest so that no
// client library normalises them first.
import { request } from 'node:http';

/** `pattern` with every `:param` replaced by `sample` (`/v1/apps/:code/` → `/v1/apps/demo/`). */
export function concrete(pattern: string, sample = 'demo'): string {
  return pattern.replace(/:[A-Za-z_]+/g, sample).replace(/\*$/, 'x');
}

const pct = (c: string) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** The path itself plus `%76`-style, `%2F`, double-slash, `..`, `.`, case and trailing-slash variants. */
export function pathVariants(path: string): string[] {
  const segs = path.split('/'); // ['', 'v1', 'apps', 'demo', '']
  const first = segs.findIndex((s, i) => i > 0 && s.length > 0);
  const out = new Set<string>([path]);
  if (first > 0) {
    const s = segs[first]!;
    const withSeg = (v: string) => segs.map((x, i) => (i === first ? v : x)).join('/');
    out.add(withSeg(pct(s[0]!) + s.slice(1))); // /%761/…
    out.add(withSeg([...s].map(pct).join(''))); // every letter encoded
    out.add(withSeg(s.toUpperCase()));
    out.add(`/${path}`); // //v1/…
    out.add(withSeg(`${s}/`)); // /v1//…
    out.add(`/x/..${path}`);
    out.add(`/%2e%2e${path}`);
    out.add(withSeg(`${s}/.`));
    const rest = segs.slice(first + 1).join('/');
    if (rest) out.add(`/${segs.slice(1, first + 1).join('/')}%2F${rest}`); // /v1%2Fapps/…
  }
  out.add(path.endsWith('/') ? path.slice(0, -1) || '/' : `${path}/`);
  return [...out];
}

/** One HTTP/1.1 request with the path sent byte for byte. */
export function rawRequest(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        method,
        path,
        headers: { ...headers, ...(body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {}) },
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 10 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** True when an answer grants nothing: a redirect, a 4xx, or a JSON envelope with result false. */
export function refused(r: { status: number; text: string }): boolean {
  if (r.status >= 300 && r.status < 500) return true;
  if (r.status !== 200) return false;
  try {
    return JSON.parse(r.text).result === false;
  } catch {
    return false;
  }
}
