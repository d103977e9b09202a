import type { IncomingHttpHeaders } from 'node:http';
import {
  LANG_HEADER,
  type Lang,
  type MessageKey,
  normalizeLang,
  type Params,
  translate,
} from '../../common/i18n';

export type { Lang };

/** A message of the platform catalogue (`esb.*` keys), rendered in the caller's language. */
export interface Msg {
  key: MessageKey;
  params?: Params;
}

/**
 * The caller's language from `Blueking-Language` (node lowercases header names, so both spellings
 * arrive the same): any Chinese spelling gives zh-CN; anything else, or none, English (API
 * clients that say nothing get the messages their code was written against).
 */
export function langOf(headers: IncomingHttpHeaders): Lang {
  const v = headers[LANG_HEADER];
  return normalizeLang(typeof v === 'string' ? v : undefined) ?? 'en';
}

/** `m` in `lang`; a plain string (a back end's own words) stays as it is. */
export function say(m: Msg | string, lang: Lang): string {
  return typeof m === 'string' ? m : translate(lang, m.key, m.params);
}
