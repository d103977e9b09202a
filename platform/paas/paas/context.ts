import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PaasConfig } from '../common/config/config';
import { type CsrfOptions, checkCsrf, csrfToken } from '../common/csrf/csrf';
import { exec, type Pool } from '../common/db/pool';
import { getCookie } from '../common/http/cookies';
import { principal, setPrincipal } from '../common/http/guard';
import { pathOf, sendError, wantsJson } from '../common/http/server';
import { t } from '../common/i18n';
import type { RedisHandle } from '../common/redis/redis';
import type { EngineClient } from './apps/engine-client';
import type { LoginClient, PaasUser } from './auth/login-client';

/** Everything paas's routes need. */
export interface PaasCtx {
  config: PaasConfig;
  db: Pool;
  csrf: CsrfOptions;
  login: LoginClient;
  engine: EngineClient;
  /** For announcements to ESB (changed app secrets). */
  redis: RedisHandle;
  /** The platform certificate (license section of the config), for its days left; absent without a license. */
  licenseCert?: string;
}

/** The bk_token cookie of the request. */
export function bkToken(req: FastifyRequest): string | undefined {
  return getCookie(req, 'bk_token');
}

/** Keep the local user copy (`account_bkuser`) in step with login. */
async function syncLocalUser(db: Pool, u: PaasUser): Promise<void> {
  await exec(
    db,
    `INSERT INTO account_bkuser (username, chname, phone, email, role, is_staff, is_superuser) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON DUPLICATE KEY UPDATE chname = VALUES(chname), phone = VALUES(phone), email = VALUES(email), role = VALUES(role),
       is_staff = VALUES(is_staff), is_superuser = VALUES(is_superuser)`,
    [u.username, u.chname, u.phone, u.email, String(u.role), u.isSuperuser ? 1 : 0, u.isSuperuser ? 1 : 0],
  );
}

/**
 * The signed-in user, or null after answering: 302 to `/login/?c_url=…` for pages, 401 JSON for
 * AJAX/API, 403 when `need` is 'developer' (roles 1, 2) or 'superuser' and the user lacks it.
 */
export async function requireUser(
  ctx: PaasCtx,
  req: FastifyRequest,
  reply: FastifyReply,
  need: Need = 'developer',
): Promise<PaasUser | null> {
  // The route's guard (auth/guards.ts) already asked login for this request: reuse its answer.
  let user: PaasUser | null = principal<PaasUser>(req) ?? null;
  if (user) return hasRole(user, need) ? user : deny(req, reply, need);
  try {
    user = await ctx.login.user(bkToken(req));
  } catch (e) {
    req.log.error({ err: e }, 'login unreachable');
    await sendError(req, reply, 503, t('common.login_unreachable'));
    return null;
  }
  if (!user) {
    if (wantsJson(req) || req.method !== 'GET') await sendError(req, reply, 401, t('common.sign_in_first'));
    else await reply.redirect(`/login/?c_url=${encodeURIComponent(req.url)}`, 302);
    return null;
  }
  await syncLocalUser(ctx.db, user);
  setPrincipal(req, user);
  return hasRole(user, need) ? user : deny(req, reply, need);
}

type Need = 'any' | 'developer' | 'superuser';
const hasRole = (u: PaasUser, need: Need) =>
  need === 'any' || (need === 'developer' ? u.isDeveloper : u.isSuperuser);

async function deny(req: FastifyRequest, reply: FastifyReply, need: Need): Promise<null> {
  const path = pathOf(req);
  const text =
    need === 'developer' ? t('common.denied_developer', { path }) : t('common.denied_admin', { path });
  await sendError(req, reply, 403, text);
  return null;
}

/** The CSRF token for forms of this session. */
export function formToken(ctx: PaasCtx, req: FastifyRequest, reply: FastifyReply): string {
  return csrfToken(req, reply, ctx.csrf, bkToken(req) ?? '');
}

/** Answer 403 and return false unless the POST carries this session's CSRF token. */
export async function csrfOk(ctx: PaasCtx, req: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  if (checkCsrf(req, ctx.csrf, bkToken(req) ?? '')) return true;
  await sendError(req, reply, 403, t('common.csrf_failed'));
  return false;
}
