import type { FastifyReply, FastifyRequest } from 'fastify';

/** Parse the Cookie header into a name → value map (first occurrence wins). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || name in out) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      out[name] = value;
    }
  }
  return out;
}

/** One cookie from the request. */
export function getCookie(req: FastifyRequest, name: string): string | undefined {
  return parseCookies(req.headers.cookie)[name];
}

export interface CookieOptions {
  domain?: string;
  path?: string;
  /** Lifetime in seconds; 0 deletes the cookie. Absent → session cookie. */
  maxAge?: number;
  secure: boolean;
  httpOnly?: boolean;
}

/** Format a Set-Cookie value: HttpOnly and SameSite=Lax unless told otherwise. */
export function serializeCookie(name: string, value: string, o: CookieOptions): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${o.path ?? '/'}`];
  if (o.domain) parts.push(`Domain=${o.domain}`);
  if (o.maxAge !== undefined) {
    parts.push(`Max-Age=${o.maxAge}`);
    parts.push(`Expires=${new Date(Date.now() + o.maxAge * 1000).toUTCString()}`);
  }
  if (o.httpOnly !== false) parts.push('HttpOnly');
  parts.push('SameSite=Lax');
  if (o.secure) parts.push('Secure');
  return parts.join('; ');
}

/** Append a Set-Cookie header (keeps earlier ones). */
export function setCookie(reply: FastifyReply, name: string, value: string, o: CookieOptions): void {
  const prev = reply.getHeader('set-cookie');
  const list = prev === undefined ? [] : Array.isArray(prev) ? prev.map(String) : [String(prev)];
  list.push(serializeCookie(name, value, o));
  reply.header('set-cookie', list);
}

/** Delete a cookie (same domain and path as it was set with). */
export function clearCookie(reply: FastifyReply, name: string, o: Omit<CookieOptions, 'maxAge'>): void {
  setCookie(reply, name, '', { ...o, maxAge: 0 });
}
