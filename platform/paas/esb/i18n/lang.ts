import type { IncomingHttpHeaders } from 'node:http';

/** The languages ESB answers in. */
export type Lang = 'en' | 'zh';

/** A message in both languages. */
export interface Msg {
  en: string;
  zh: string;
}

/**
 * The caller's language from `Blueking-Language` (node lowercases header names, so both spellings
 * arrive the same): `zh`, `zh-cn`, `zh-hans`… give Chinese; anything else, or none, English.
 */
export function langOf(headers: IncomingHttpHeaders): Lang {
  const v = headers['blueking-language'];
  const s = typeof v === 'string' ? v : '';
  return s.length >= 2 && (s.charCodeAt(0) | 32) === 122 && (s.charCodeAt(1) | 32) === 104 ? 'zh' : 'en';
}

/** `m` in `lang`. */
export function say(m: Msg | string, lang: Lang): string {
  return typeof m === 'string' ? m : m[lang];
}
