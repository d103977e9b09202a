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
}

/** A complete HTML document in the shared look. */
export function page(o: PageOptions): SafeHtml {
  const nav = o.nav?.length
    ? html`<nav>${o.nav.map((n) => html`<a href="${n.href}" class="${n.active ? 'on' : ''}">${n.label}</a>`)}</nav>`
    : '';
  const who = o.user
    ? html`<span class="who">${o.user.profileHref ? html`<a href="${o.user.profileHref}">${o.user.name}</a>` : o.user.name}
        (${o.user.role}) · <a href="${o.user.logoutHref}">Sign out</a></span>`
    : '';
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${o.title} · ${o.brand ?? 'BlueKing PaaS'}</title>
<link rel="stylesheet" href="${o.cssHref ?? '/static/bkcec.css'}">
${o.scriptHref ? html`<script src="${o.scriptHref}" defer></script>` : ''}</head>
<body><header class="top"><div class="in"><a class="brand" href="${o.brandHref ?? '/'}">${o.brand ?? 'BlueKing PaaS'}</a>${nav}${who}</div></header>
<main class="${o.narrow ? 'narrow' : ''}">${o.flash ? html`<div class="flash ${o.flash.kind}" role="alert">${o.flash.text}</div>` : ''}${o.body}</main>
</body></html>`;
}

/** A plain error page (used by the shared error and not-found handlers). */
export function errorPage(status: number, message: string, cssHref?: string): SafeHtml {
  return page({
    title: `Error ${status}`,
    cssHref,
    body: html`<div class="card"><h1>Error ${status}</h1><p>${message}</p><p><a href="/">Back to the home page</a></p></div>`,
  });
}
