import { type Lang, type Msg, say } from './i18n/lang';

/** ESB error codes, 13 (PaaS) + 06 (ESB) + 3 digits (reference §4.6). */
export const CODE = {
  OK: 0,
  COMMON: 1306000,
  BACKEND: 1306201,
  APP_PERMISSION: 1306403,
  COMPONENT_NOT_FOUND: 1306404,
  INACTIVE_CHANNEL: 1306405,
  ARGUMENT: 1306406,
  RATE_LIMITED: 1306429,
} as const;

/** A failure that ends a call with `{result:false, code, message}` and HTTP 200; `message` is English. */
export class EsbError extends Error {
  private readonly msg: Msg | string;

  constructor(
    readonly code: number,
    message: Msg | string,
  ) {
    super(say(message, 'en'));
    this.msg = message;
  }

  /** The message in `lang` (English when only English was given). */
  text(lang: Lang): string {
    return say(this.msg, lang);
  }
}
