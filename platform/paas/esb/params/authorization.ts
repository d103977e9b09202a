import { CODE, EsbError } from '../codes';
import { M } from '../i18n/messages';
import type { Credentials } from './params';

/** Keys of `X-Bkapi-Authorization` ESB reads; others (such as `jwt`) are ignored. */
const KEYS = ['bk_app_code', 'bk_app_secret', 'bk_username', 'bk_token', 'access_token'] as const;

/**
 * The credentials in an `X-Bkapi-Authorization` header (the current SDK's JSON object), or
 * undefined when the header is absent or empty. Malformed JSON, a non-object, or a value that is
 * not a string throw 1306000 saying what was expected. The value is never echoed.
 */
export function headerCredentials(value: string | string[] | undefined): Credentials | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw new EsbError(CODE.COMMON, M.headerTwice());
  if (value.trim() === '') return undefined;
  let v: unknown;
  try {
    v = JSON.parse(value);
  } catch {
    throw new EsbError(CODE.COMMON, M.headerNotJson());
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new EsbError(
      CODE.COMMON,
      M.headerFound(Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v),
    );
  const o = v as Record<string, unknown>;
  const s: Record<(typeof KEYS)[number], string> = {
    bk_app_code: '',
    bk_app_secret: '',
    bk_username: '',
    bk_token: '',
    access_token: '',
  };
  for (const k of KEYS) {
    const x = Object.hasOwn(o, k) ? o[k] : undefined;
    if (x === undefined || x === null) continue;
    if (typeof x !== 'string') throw new EsbError(CODE.COMMON, M.headerType(k));
    s[k] = x;
  }
  return {
    appCode: s.bk_app_code,
    appSecret: s.bk_app_secret,
    bkToken: s.bk_token,
    username: s.bk_username,
    accessToken: s.access_token,
  };
}
