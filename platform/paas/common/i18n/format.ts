// Messages in ICU MessageFormat syntax (plurals, select, numbers, dates) via FormatJS's
// intl-messageformat; one compiled formatter per language, time zone and key, made on first use.
import { IntlMessageFormat } from 'intl-messageformat';
import en from './catalogs/en.json' with { type: 'json' };
import zhCN from './catalogs/zh-CN.json' with { type: 'json' };
import { DEFAULT_LANG, type Lang } from './lang';

export type MessageKey = keyof typeof en;
export type Params = Record<string, string | number | Date>;

/** One flat `key → message` map per language. */
export const CATALOGS: Record<Lang, Record<string, string>> = { 'zh-CN': zhCN, en };

/** The platform's time zone when the browser has not told us the user's (blueking_timezone). */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const compiled = new Map<string, IntlMessageFormat>();

/** A valid IANA time zone name, else undefined. */
export function validTimeZone(tz: string | undefined): string | undefined {
  if (!tz || tz.length > 64) return undefined;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** `{x, date, dt}` / `{x, time, hm}`: formats our messages may name; both in the given zone. */
function formats(timeZone: string) {
  return {
    date: {
      dt: {
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
        timeZone,
      },
      day: { year: 'numeric', month: '2-digit', day: '2-digit', timeZone },
    },
    time: { hm: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone } },
  } as const;
}

/**
 * The message `key` in `lang` with `params` filled in. A key missing in `lang` falls back to
 * the default language, then to the key itself (the catalogue test keeps both complete).
 */
export function translate(
  lang: Lang,
  key: MessageKey,
  params?: Params,
  timeZone = DEFAULT_TIME_ZONE,
): string {
  const text = CATALOGS[lang][key] ?? CATALOGS[DEFAULT_LANG][key] ?? key;
  // only messages with dates depend on the zone: keeps the cache at languages × keys otherwise
  const zoned = /,\s*(date|time)\b/.test(text);
  const id = `${lang}\u0000${zoned ? timeZone : ''}\u0000${key}`;
  let f = compiled.get(id);
  if (!f) {
    f = new IntlMessageFormat(text, lang, formats(timeZone), { ignoreTag: true });
    compiled.set(id, f);
  }
  return String(f.format(params));
}
