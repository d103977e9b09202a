import { t } from '../i18n/context';
import type { MessageKey, Params } from '../i18n/format';
import { escapeHtml, SafeHtml } from './html';

/**
 * A message as markup: text escaped, SafeHtml params (links, code) put in as they are, so a
 * translation can place a link anywhere in its sentence: `thtml('k', { console: html`<a…>` })`.
 */
export function thtml(
  key: MessageKey,
  params: Record<string, string | number | Date | SafeHtml> = {},
): SafeHtml {
  const plain: Params = {};
  const marks: SafeHtml[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v instanceof SafeHtml) {
      plain[k] = `\u0001${marks.length}\u0002`;
      marks.push(v);
    } else plain[k] = typeof v === 'string' ? v.replace(/[\u0001\u0002]/g, '') : v; // no forged markers
  }
  const text = escapeHtml(t(key, plain)); // the \u0001N\u0002 markers pass escaping untouched
  return new SafeHtml(text.replace(/\u0001(\d+)\u0002/g, (_m, i) => marks[Number(i)]!.value));
}
