import { createHmac } from 'node:crypto';

/** Largest accepted distance between `bk_timestamp` and now. */
export const MAX_SKEW_SEC = 300;

/**
 * The signed message: `METHOD + path + "?" + k=v&…` over the query parameters sorted by key,
 * without the signature itself; a POST adds a `data=<raw body>` entry (reference §4.3).
 */
export function signedMessage(
  method: string,
  path: string,
  query: Record<string, string>,
  rawBody: string,
): string {
  const entries: [string, string][] = Object.entries(query).filter(
    ([k]) => k !== 'bk_signature' && k !== 'signature',
  );
  if (method === 'POST') entries.push(['data', rawBody]);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${method}${path}?${entries.map(([k, v]) => `${k}=${v}`).join('&')}`;
}

/** base64(HMAC-SHA1(secret, message)). */
export function sign(secret: string, message: string): string {
  return createHmac('sha1', secret).update(message, 'utf8').digest('base64');
}
