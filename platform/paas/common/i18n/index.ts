// Public API of the i18n layer (see README.md).
export { formatDate, formatDateTime, lang, locale, runWith, setDefaultLocale, t } from './context';
export {
  CATALOGS,
  DEFAULT_TIME_ZONE,
  type MessageKey,
  type Params,
  translate,
  validTimeZone,
} from './format';
export { localeOf, registerI18n, SETLANG_PATH, safeNext, TZ_COOKIE } from './http';
export { roleLabel } from './labels';
export {
  cookieValue,
  DEFAULT_LANG,
  fromAcceptLanguage,
  LANG_COOKIE,
  LANG_HEADER,
  LANGS,
  type Lang,
  negotiate,
  normalizeLang,
} from './lang';
