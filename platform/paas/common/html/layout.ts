import { lang, locale, t } from '../i18n/context';
import { cookieValue, LANGS } from '../i18n/lang';
import { html, type SafeHtml } from './html';

export interface NavLink {
  href: string;
  label: string;
  active?: boolean;
}

export interface PageOptions {
  title: string;
  body: SafeHtml;
  /** Where the program serves bkcec.css (e.g. `/static/bkcec.css`, `/login/static/bkcec.css`). */
  cssHref?: string;
  /** Extra script served by the program itself (CSP allows only same-origin scripts). */
  scriptHref?: string;
  brand?: string;
  brandHref?: string;
  nav?: readonly NavLink[];
  /** Signed-in user line: name, role label and logout link. */
  user?: { name: string; role: string; logoutHref: string; profileHref?: string };
  flash?: { kind: 'error' | 'ok'; text: string };
  /** `narrow` centres a small card (login form). */
  narrow?: boolean;
  /** Browser-visible path prefix of the program (default: the request's, `/login` for login). */
  site?: string;
}

const LANG_NAMES = { 'zh-CN': '中文', en: 'English' } as const;

/** The language switch: posts to the program's setlang, which sets `blueking_language` and returns here. */
function langSwitch(site: string): SafeHtml {
  const here = lang();
  return html`<form class="lang" method="post" action="${site}/i18n/setlang/" aria-label="${t('common.language')}">
<input type="hidden" name="next" value="${site}${locale().url ?? '/'}">${LANGS.map(
    (l) =>
      html`<button type="submit" name="language" value="${cookieValue(l)}" lang="${l}" class="plain${l === here ? ' on' : ''}" ${l === here ? 'aria-current="true"' : ''}>${LANG_NAMES[l]}</button>`,
  )}</form>`;
}

/** A complete HTML document in the shared look. */
export function page(o: PageOptions): SafeHtml {
  const nav = o.nav?.length
    ? html`<nav>${o.nav.map((n) => html`<a href="${n.href}" class="${n.active ? 'on' : ''}">${n.label}</a>`)}</nav>`
    : '';
  const who = o.user
    ? html`<span class="who">${o.user.profileHref ? html`<a href="${o.user.profileHref}">${o.user.name}</a>` : o.user.name}
        (${o.user.role}) · <a href="${o.user.logoutHref}">${t('common.sign_out')}</a></span>`
    : '';
  return html`<!doctype html>
<html lang="${lang()}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${o.title} · ${o.brand ?? t('common.brand')}</title>
<link rel="stylesheet" href="${o.cssHref ?? `${o.site ?? locale().site ?? ''}/static/bkcec.css`}">
${o.scriptHref ? html`<script src="${o.scriptHref}" defer></script>` : ''}</head>
<body><header class="top"><div class="in"><a class="brand" href="${o.brandHref ?? '/'}">${o.brand ?? t('common.brand')}</a>${nav}${who}${langSwitch(o.site ?? locale().site ?? '')}</div></header>
<main class="${o.narrow ? 'narrow' : ''}">${o.flash ? html`<div class="flash ${o.flash.kind}" role="alert">${o.flash.text}</div>` : ''}${o.body}</main>
</body></html>`;
}

/** A plain error page (used by the shared error and not-found handlers). */
export function errorPage(status: number, message: string): SafeHtml {
  const title = t('common.error_title', { status });
  return page({
    title,
    body: html`<div class="card"><h1>${title}</h1><p>${message}</p><p><a href="/">${t('common.back_home')}</a></p></div>`,
  });
}
