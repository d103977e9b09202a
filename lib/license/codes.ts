// The answer the license service gives, and the table of its result codes.

/** Body of every `POST /certificate` answer (field names as the legacy clients read them). */
export interface LicenseAnswer {
  status: boolean;
  result: number;
  message: string;
  message_cn: string;
  validstarttime: string;
  validendtime: string;
}

/** Result codes: 0 is valid, every failure reason has its own code. */
export const RESULT = {
  ok: 0,
  badRequest: 1001,
  malformedCert: 1002,
  untrusted: 1003,
  expired: 1004,
  notYetValid: 1005,
  macNotListed: 1006,
  tooLarge: 1007,
  hostMacsUnreadable: 1008,
} as const;
export type ResultCode = (typeof RESULT)[keyof typeof RESULT];

/** Chinese text per code, as the legacy `message_cn` field carried. */
export const MESSAGE_CN: Record<ResultCode, string> = {
  0: '证书校验成功',
  1001: '请求格式错误',
  1002: '证书格式错误',
  1003: '证书不是由平台CA签发或签名无效',
  1004: '证书已过期',
  1005: '证书尚未生效',
  1006: '证书未绑定本机MAC地址',
  1007: '请求体过大',
  1008: '无法读取本机MAC地址',
};

/** `YYYY-MM-DD HH:MM:SS` in UTC, the time format of the legacy API; empty when unknown. */
export function formatTime(d: Date | undefined): string {
  return d ? d.toISOString().slice(0, 19).replace('T', ' ') : '';
}

/** Builds the answer for a result code; `message` is "success" when valid (the installer greps for it). */
export function makeAnswer(
  result: ResultCode,
  detail: string,
  validFrom?: Date,
  validTo?: Date,
): LicenseAnswer {
  return {
    status: result === RESULT.ok,
    result,
    message: result === RESULT.ok ? 'success' : detail,
    message_cn: MESSAGE_CN[result],
    validstarttime: formatTime(validFrom),
    validendtime: formatTime(validTo),
  };
}
