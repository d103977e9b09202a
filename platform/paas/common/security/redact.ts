// One redaction for every program's logs: values of secret-bearing names never reach a log line,
// whether they come as a query string or form (`name=value`, also percent-encoded, also inside an
// encoded URL such as `c_url=%3Fbk_token%3D…`) or as JSON (`"name": "value"`, also escaped).

/** Names whose values are secrets (lower case; `_` and `-` also match their %-encodings). */
export const SECRET_NAMES = [
  'bk_app_secret',
  'app_secret',
  'app_token',
  'bk_token',
  'bk_signature',
  'signature',
  'access_token',
  'bk_access_token',
  'x-bkapi-authorization',
  'x-app-token',
  'x-token',
  'password',
] as const;

export const REDACTED = '***';

const alt = SECRET_NAMES.map((n) => n.replace(/_/g, '(?:_|%5f)').replace(/-/g, '(?:-|%2d)')).join('|');
/** `name=` or `name%3D` then the value up to a separator (also `%26`, an encoded `&`). */
const PAIR = new RegExp(`((?:${alt})(?:=|%3d))(?:(?!%26)[^&\\s"'<>])*`, 'gi');
/** `"name": "value"` and its escaped form `\"name\": \"value\"`. */
const JSON_PAIR = new RegExp(`((\\\\?)"(?:${alt})\\2"\\s*:\\s*)\\2"(?:[^"\\\\]|\\\\(?!")|\\\\")*?\\2"`, 'gi');
/** The cheap pre-check: most lines hold none of the names. */
const ANY = new RegExp(`(?:${SECRET_NAMES.map((n) => n.replace(/[_-]/g, '.{1,3}')).join('|')})`, 'i');

/** `text` with the values of secret-bearing names replaced by `***`. */
export function redact(text: string): string {
  if (!ANY.test(text)) return text;
  return text.replace(PAIR, `$1${REDACTED}`).replace(JSON_PAIR, `$1$2"${REDACTED}$2"`);
}
