// Which language a person reads: the `blueking_language` cookie (shared with BlueKing apps on
// .BK_DOMAIN), then Accept-Language, then the platform default.

/** Languages with a catalogue; BCP 47 tags (also used as `<html lang>`). */
export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** The platform's default when nothing else says (globals.env BK_LANGUAGE overrides it). */
export const DEFAULT_LANG: Lang = 'zh-CN';

/** Cookie BlueKing apps read and write; values as they write them (`zh-cn`, `en`). */
export const LANG_COOKIE = 'blueking_language';
/** Header ESB callers send (`zh-cn`, `en`). */
export const LANG_HEADER = 'blueking-language';

/** The cookie/header spelling of a language. */
export function cookieValue(lang: Lang): string {
  return lang === 'zh-CN' ? 'zh-cn' : 'en';
}

/**
 * A supported language from any common spelling (`zh-cn`, `zh_CN`, `zh-hans`, `zh-Hans-CN`,
 * `zh`, `en-US`, `EN`), else undefined. Every Chinese variant maps to Simplified Chinese.
 */
export function normalizeLang(s: string | undefined | null): Lang | undefined {
  if (!s) return undefined;
  const primary = s.trim().toLowerCase().split(/[-_]/)[0];
  if (primary === 'zh') return 'zh-CN';
  if (primary === 'en') return 'en';
  return undefined;
}

/** The first supported language of an Accept-Language header, by q value then order. */
export function fromAcceptLanguage(header: string | undefined): Lang | undefined {
  if (!header) return undefined;
  const ranges = header
    .slice(0, 1024)
    .split(',')
    .slice(0, 32)
    .map((part, i) => {
      const [tag = '', ...ps] = part.trim().split(';');
      const qp = ps.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const q = qp ? Number(qp.slice(2)) : 1;
      return { lang: normalizeLang(tag), q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((r) => r.lang && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return ranges[0]?.lang;
}

/** Cookie first, then Accept-Language, then the fallback. */
export function negotiate(o: { cookie?: string; acceptLanguage?: string; fallback?: Lang }): Lang {
  return normalizeLang(o.cookie) ?? fromAcceptLanguage(o.acceptLanguage) ?? o.fallback ?? DEFAULT_LANG;
}
