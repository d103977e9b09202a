import { CODE, EsbError } from '../codes';
import { M } from '../i18n/messages';
import { parseQuery } from './query';

/** What a call carries: merged parameters plus the raw pieces a signature needs. */
export interface CallInput {
  params: Record<string, unknown>;
  /** Query parameters alone (signature mode reads these). */
  query: Record<string, string>;
  rawBody: string;
}

function queryOf(url: string): Record<string, string> {
  const q = url.indexOf('?');
  return q < 0 ? {} : parseQuery(url.slice(q + 1));
}

function jsonObject(body: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch (e) {
    throw new EsbError(CODE.COMMON, M.bodyJson((e as Error).message));
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new EsbError(CODE.COMMON, M.bodyNotObject());
  return v as Record<string, unknown>;
}

/**
 * Parameters as the original reads them: the query for GET; for POST a JSON object when the body
 * starts with `{`, else form fields (query parameters are kept underneath for both).
 */
export function parseInput(method: string, url: string, rawBody: string): CallInput {
  const query = queryOf(url);
  if (method !== 'POST' || rawBody === '') return { params: query, query, rawBody };
  const body = rawBody.trimStart().startsWith('{')
    ? jsonObject(rawBody)
    : (parseQuery(rawBody) as Record<string, unknown>);
  return { params: { ...query, ...body }, query, rawBody };
}

/** The caller's credentials, with the legacy aliases (`app_code`, `app_secret`, `username`, `signature`). */
export interface Credentials {
  appCode: string;
  appSecret: string;
  bkToken: string;
  username: string;
  /** An access token (`esb_user_auth_token`): names both the app and the user. */
  accessToken: string;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

/** Read the app and user credentials from the parameters. */
export function credentialsOf(params: Record<string, unknown>): Credentials {
  return {
    appCode: str(params.bk_app_code) || str(params.app_code),
    appSecret: str(params.bk_app_secret) || str(params.app_secret),
    bkToken: str(params.bk_token),
    username: str(params.bk_username) || str(params.username),
    accessToken: str(params.bk_access_token) || str(params.access_token),
  };
}

/** Never forwarded to a back end: secrets and signature material. */
export const SENSITIVE = [
  'bk_app_secret',
  'app_secret',
  'bk_signature',
  'signature',
  'bk_nonce',
  'bk_timestamp',
  'bk_token',
  'bk_access_token',
  'access_token',
];
/** Also removed for declarative components: the caller's identity travels in headers instead. */
export const IDENTITY = ['bk_app_code', 'app_code', 'bk_username', 'username'];

/** A copy of `params` without the named keys. */
export function without(
  params: Record<string, unknown>,
  keys: ReadonlySet<string> | readonly string[],
): Record<string, unknown> {
  const drop = Array.isArray(keys) ? new Set(keys) : (keys as ReadonlySet<string>);
  const out: Record<string, unknown> = {};
  for (const k in params) if (!drop.has(k) && Object.hasOwn(params, k)) out[k] = params[k];
  return out;
}
