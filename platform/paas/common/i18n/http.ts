// Fastify glue: pick each request's locale, and the language switch every page links to.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PaasConfig } from '../config/config';
import { getCookie, setCookie } from '../http/cookies';
import { type Locale, runWith, setDefaultLocale } from './context';
import { DEFAULT_TIME_ZONE, validTimeZone } from './format';
import { cookieValue, LANG_COOKIE, negotiate, normalizeLang } from './lang';

/** Cookie the pages' script sets from the browser's own time zone. */
export const TZ_COOKIE = 'blueking_timezone';
/** Where the switcher posts (the login program serves it under /login/ too). */
export const SETLANG_PATH = '/i18n/setlang/';

/** The locale of a request: cookie, Accept-Language, platform default; zone from the cookie. */
export function localeOf(req: FastifyRequest, cfg: PaasConfig, site = ''): Locale {
  return {
    lang: negotiate({
      cookie: getCookie(req, LANG_COOKIE),
      acceptLanguage: req.headers['accept-language'],
      fallback: normalizeLang(cfg.i18n.language),
    }),
    timeZone: validTimeZone(getCookie(req, TZ_COOKIE)) ?? cfg.i18n.timeZone ?? DEFAULT_TIME_ZONE,
    url: req.url,
    site,
  };
}

/** A same-site path to go back to: starts with one `/`, no scheme-relative or backslash tricks. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > 2000) return '/';
  if (!/^\/(?![/\\])/.test(next) || /[\u0000-\u001f\\]/.test(next)) return '/';
  return next;
}

/**
 * Every request runs in its locale; `POST <prefix>/i18n/setlang/` (form: `language`, `next`)
 * sets `blueking_language` on the cookie domain for a year and goes back to `next`.
 */
export function registerI18n(app: FastifyInstance, cfg: PaasConfig, site = ''): void {
  setDefaultLocale({ lang: normalizeLang(cfg.i18n.language), timeZone: cfg.i18n.timeZone });
  app.addHook('onRequest', (req, _reply, done) => runWith(localeOf(req, cfg, site), done));
  const config = { auth: 'public' }; // anyone may switch (see http/guard.ts)
  app.post<{ Body: Record<string, string> | undefined }>(SETLANG_PATH, { config }, async (req, reply) => {
    const lang = normalizeLang(req.body?.language);
    if (lang)
      setCookie(reply, LANG_COOKIE, cookieValue(lang), {
        domain: cfg.domains.BK_COOKIE_DOMAIN,
        maxAge: 365 * 24 * 3600,
        secure: cfg.domains.HTTP_SCHEMA === 'https',
        httpOnly: false,
      });
    return reply.redirect(safeNext(req.body?.next), 303);
  });
}
