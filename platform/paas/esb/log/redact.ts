/** Names whose values never reach a log: secrets, tokens, signatures. */
const NAMES =
  'bk_app_secret|app_secret|app_token|bk_token|bk_signature|signature|access_token|bk_access_token|x-bkapi-authorization|x-app-token';
/** `name=value` (query strings, forms) and `"name": "value"` (JSON), any case. */
const PAIR = new RegExp(`((?:${NAMES})=)[^&\\s"']*`, 'gi');
const JSON_PAIR = new RegExp(`("(?:${NAMES})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
/** A quick pre-check so the common case costs one test. */
const ANY = new RegExp(NAMES, 'i');

/** `text` with the values of secret-bearing names replaced by `***`. */
export function redact(text: string): string {
  if (!ANY.test(text)) return text;
  return text.replace(PAIR, '$1***').replace(JSON_PAIR, '$1"***"');
}
