/**
 * Where to go after login/logout: `target` if it is a relative path (`/x`, not `//x`) or an
 * http(s) URL whose host is the cookie domain or under it, or is one of `platformHosts` (the
 * platform's own `PAAS_DOMAIN`, `host[:port]`, which may lie outside the cookie domain);
 * otherwise `fallback`.
 */
export function safeRedirect(
  target: string | undefined,
  cookieDomain: string,
  fallback: string,
  platformHosts: readonly string[] = [],
): string {
  if (!target) return fallback;
  // control chars, whitespace and backslashes are read differently by browsers: refuse them
  if (/[\s\\\x00-\x1f\x7f]/.test(target)) return fallback;
  if (target.startsWith('/')) return target.startsWith('//') ? fallback : target;
  let u: URL;
  try {
    u = new URL(target);
  } catch {
    return fallback;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return fallback;
  if (u.username || u.password) return fallback;
  const domain = cookieDomain.replace(/^\./, '').toLowerCase();
  const host = u.hostname.toLowerCase();
  if (host === domain || host.endsWith(`.${domain}`)) return u.toString();
  const own = platformHosts.some((h) => {
    const p = h.toLowerCase();
    return p === u.host.toLowerCase() || p === host;
  });
  return own ? u.toString() : fallback;
}
