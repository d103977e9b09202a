// The language of the request being served, so views call `t(key)` without threading it through
// every route: createApp's onRequest hook runs the rest of the request inside `runWith`.
import { AsyncLocalStorage } from 'node:async_hooks';
import { DEFAULT_TIME_ZONE, type MessageKey, type Params, translate } from './format';
import { DEFAULT_LANG, type Lang } from './lang';

export interface Locale {
  lang: Lang;
  timeZone: string;
  /** The request URL as the program saw it (the language switch returns there). */
  url?: string;
  /** Browser-visible path prefix of the program behind nginx (`/login` for login, else empty). */
  site?: string;
}

const als = new AsyncLocalStorage<Locale>();
let fallback: Locale = { lang: DEFAULT_LANG, timeZone: DEFAULT_TIME_ZONE };

/** The platform default outside any request (set once by createApp from the config). */
export function setDefaultLocale(l: { lang?: Lang | undefined; timeZone?: string | undefined }): void {
  fallback = { lang: l.lang ?? fallback.lang, timeZone: l.timeZone ?? fallback.timeZone };
}

/** Run `fn` (and everything it awaits or starts) in `locale`. */
export function runWith<R>(locale: Locale, fn: () => R): R {
  return als.run(locale, fn);
}

/** The current request's locale, else the platform default. */
export function locale(): Locale {
  return als.getStore() ?? fallback;
}

/** The current language. */
export function lang(): Lang {
  return locale().lang;
}

/** The message `key` in the current language, `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params?: Params): string {
  const l = locale();
  return translate(l.lang, key, params, l.timeZone);
}

/** Date and time (to the second) in the current language and the user's time zone. */
export function formatDateTime(d: Date): string {
  return t('common.datetime', { d });
}

/** Date only, in the user's time zone. */
export function formatDate(d: Date): string {
  return t('common.date', { d });
}
