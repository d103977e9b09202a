/** v1 login/paas codes: strings, success is "00" (reference §2.3). */
export const V1 = {
  OK: '00',
  INVALID_TOKEN: '1200',
  USER_NOT_FOUND: '1201',
  PARAM_ERROR: '1202',
  NO_PERMISSION: '1300',
  ESB_AUTH_FAILED: '1001',
} as const;
export type V1Code = (typeof V1)[keyof typeof V1];

/** v2 codes: integers, success is 0. */
export const V2 = {
  OK: 0,
  INVALID_TOKEN: 1302100,
  PARAM_ERROR: 1302101,
  USER_NOT_FOUND: 1302102,
  NO_PERMISSION: 1302103,
  UNHEALTHY: 1302000,
  ESB_AUTH_FAILED: 1301001,
} as const;
export type V2Code = (typeof V2)[keyof typeof V2];

export interface V1Envelope<T> {
  result: boolean;
  code: V1Code;
  message: string;
  data: T;
}
export interface V2Envelope<T> {
  result: boolean;
  bk_error_code: V2Code;
  bk_error_msg: string;
  data: T;
}

/** v1 success `{result:true, code:"00", message, data}`. */
export function v1Ok<T>(data: T, message = 'OK'): V1Envelope<T> {
  return { result: true, code: V1.OK, message, data };
}
/** v1 failure; data is `{}` as the original sends. */
export function v1Fail(code: Exclude<V1Code, '00'>, message: string): V1Envelope<Record<string, never>> {
  return { result: false, code, message, data: {} };
}
/** v2 success `{result:true, bk_error_code:0, bk_error_msg, data}`. */
export function v2Ok<T>(data: T, message = 'OK'): V2Envelope<T> {
  return { result: true, bk_error_code: V2.OK, bk_error_msg: message, data };
}
/** v2 failure; data is `{}`. */
export function v2Fail(code: Exclude<V2Code, 0>, message: string): V2Envelope<Record<string, never>> {
  return { result: false, bk_error_code: code, bk_error_msg: message, data: {} };
}

/** ESB reply `{result, code, message, data, request_id}` (reference §4.6); code 0 or 1306xxx. */
export interface EsbEnvelope<T> {
  result: boolean;
  code: number | string;
  message: string;
  data: T | null;
  request_id: string;
}
/** ESB success; `code` defaults to 0 (v1 bk_login components pass "00" through). */
export function esbOk<T>(
  data: T,
  requestId: string,
  message = '',
  code: number | string = 0,
): EsbEnvelope<T> {
  return { result: true, code, message, data, request_id: requestId };
}
/** ESB failure; `code` defaults to 1306000. */
export function esbFail(
  message: string,
  requestId: string,
  code: number | string = 1306000,
): EsbEnvelope<never> {
  return { result: false, code, message, data: null, request_id: requestId };
}

/** The AJAX shape used by admin pages: `{result, message, ...extra}`. */
export function ajax(result: boolean, message: string, extra: Record<string, unknown> = {}) {
  return { result, message, ...extra };
}
