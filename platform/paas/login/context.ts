import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PaasConfig } from '../common/config/config';
import type { CsrfOptions } from '../common/csrf/csrf';
import type { Pool } from '../common/db/pool';
import { clearCookie, getCookie, setCookie } from '../common/http/cookies';
import type { RedisHandle } from '../common/redis/redis';
import { safeEqual } from '../common/security/compare';
import type { LoginLimiter } from './ratelimit';
import type { TokenStore } from './tokens/tokens';

/** Public path prefix of login behind nginx; links and redirects always use it. */
export const SITE = '/login';
export const TOKEN_COOKIE = 'bk_token';

/** Everything login's routes need. */
export interface LoginCtx {
  config: PaasConfig;
  db: Pool;
  redis: RedisHandle;
  tokens: TokenStore;
  limiter: LoginLimiter;
  csrf: CsrfOptions;
}

/** The bk_token cookie options (shared parent domain). */
function tokenCookie(ctx: LoginCtx) {
  return { domain: ctx.config.domains.BK_COOKIE_DOMAIN, secure: ctx.config.domains.HTTP_SCHEMA === 'https' };
}

/** The bk_token the browser presented. */
export function presentedToken(req: FastifyRequest): string | undefined {
  return getCookie(req, TOKEN_COOKIE);
}

/** Set the bk_token cookie for `maxAge` seconds. */
export function setTokenCookie(ctx: LoginCtx, reply: FastifyReply, token: string, maxAge: number): void {
  setCookie(reply, TOKEN_COOKIE, token, { ...tokenCookie(ctx), maxAge });
}

/** Delete the bk_token cookie. */
export function clearTokenCookie(ctx: LoginCtx, reply: FastifyReply): void {
  clearCookie(reply, TOKEN_COOKIE, tokenCookie(ctx));
}

/** True when the request carries `X-APP-CODE: esb` and the right `X-APP-TOKEN`. */
export function fromEsb(ctx: LoginCtx, req: FastifyRequest): boolean {
  const code = req.headers['x-app-code'];
  const token = req.headers['x-app-token'];
  return code === 'esb' && typeof token === 'string' && safeEqual(token, ctx.config.secrets.ESB_TOKEN);
}

/** The caller's IP (X-Forwarded-For honoured only from trusted proxies). */
export function clientIp(req: FastifyRequest): string {
  return req.ip;
}
