import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { getCookie, setCookie } from '../http/cookies';
import { safeEqual } from '../security/compare';

/** Per-program CSRF settings: its cookie name, the HMAC key, and whether cookies are Secure. */
export interface CsrfOptions {
  cookieName: string;
  secret: string;
  secure: boolean;
}

/** Form field and header that carry the token. */
export const CSRF_FIELD = 'csrfmiddlewaretoken';
export const CSRF_HEADER = 'x-csrftoken';

function sign(o: CsrfOptions, nonce: string, binding: string): string {
  return createHmac('sha256', o.secret).update(`csrf|${nonce}|${binding}`).digest('base64url');
}

/**
 * The token to embed in a form: HMAC of the CSRF cookie's nonce and `binding` (the session's
 * bk_token, or '' before login). Sets the cookie when the browser has none.
 */
export function csrfToken(req: FastifyRequest, reply: FastifyReply, o: CsrfOptions, binding: string): string {
  let nonce = getCookie(req, o.cookieName);
  if (!nonce || !/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) {
    nonce = randomBytes(18).toString('base64url');
    setCookie(reply, o.cookieName, nonce, { secure: o.secure });
    // visible to later handlers in this same request
    req.headers.cookie = `${o.cookieName}=${nonce}; ${req.headers.cookie ?? ''}`;
  }
  return sign(o, nonce, binding);
}

/** True when the submitted token (form field or header) matches the cookie and binding. */
export function checkCsrf(req: FastifyRequest, o: CsrfOptions, binding: string): boolean {
  const nonce = getCookie(req, o.cookieName);
  const body = req.body as Record<string, unknown> | undefined;
  const sent = (body && typeof body === 'object' ? body[CSRF_FIELD] : undefined) ?? req.headers[CSRF_HEADER];
  if (!nonce || typeof sent !== 'string' || sent === '') return false;
  return safeEqual(sent, sign(o, nonce, binding));
}
