/**
 * `application/x-www-form-urlencoded` parsing and serialising with the exact results of
 * URLSearchParams, plus fast paths for the common plain-ASCII case (the gateway's hot path).
 */

/** Needs decoding (`%`, `+`) or USV conversion (surrogates): leave it to URLSearchParams. */
const NOT_PLAIN = /[%+\ud800-\udfff]/;
/** Serialised unchanged by URLSearchParams. */
const SAFE = /^[A-Za-z0-9*._-]*$/;
/** What encodeURIComponent leaves alone but URLSearchParams encodes (and `%20`, which becomes `+`). */
const DIFFERS = /%20|[!'()~]/g;

function put(out: Record<string, string>, k: string, v: string): void {
  // A key named __proto__ must become an own property, as Object.fromEntries makes it.
  if (k === '__proto__')
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  else out[k] = v;
}

/** Parse `a=1&b=2` like `Object.fromEntries(new URLSearchParams(text))` (the last duplicate wins). */
export function parseQuery(text: string): Record<string, string> {
  if (NOT_PLAIN.test(text)) return Object.fromEntries(new URLSearchParams(text));
  const out: Record<string, string> = {};
  let i = text.startsWith('?') ? 1 : 0; // URLSearchParams drops one leading ?
  while (i < text.length) {
    let amp = text.indexOf('&', i);
    if (amp < 0) amp = text.length;
    if (amp > i) {
      const eq = text.indexOf('=', i);
      if (eq < 0 || eq > amp) put(out, text.slice(i, amp), '');
      else put(out, text.slice(i, eq), text.slice(eq + 1, amp));
    }
    i = amp + 1;
  }
  return out;
}

/** One name or value encoded as URLSearchParams#toString does. */
export function formEncode(s: string): string {
  if (SAFE.test(s)) return s;
  try {
    return encodeURIComponent(s).replace(DIFFERS, (c) =>
      c === '%20' ? '+' : `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    );
  } catch {
    return new URLSearchParams({ v: s }).toString().slice(2); // lone surrogates become U+FFFD
  }
}
