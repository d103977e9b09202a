import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkCsrf, csrfToken } from '../../common/csrf/csrf';
import { t } from '../../common/i18n';
import { clearTokenCookie, clientIp, type LoginCtx, presentedToken, SITE, setTokenCookie } from '../context';
import { DUMMY_HASH, hashPassword, verifyPassword } from '../passwords/passwords';
import { safeRedirect } from '../redirect';
import { findUser, logLogin, setPasswordHash } from '../users/store';
import { loginPage } from '../views/login-page';

type Q = Record<string, string | undefined>;
const HOME = `${SITE}/accounts/user/list/`;

/** Sign-in page (GET clears any presented token), sign-in POST, and logout. */
export function pageRoutes(app: FastifyInstance, ctx: LoginCtx): void {
  const action = (req: FastifyRequest) => {
    const q = req.query as Q;
    const keep = new URLSearchParams();
    if (q.c_url) keep.set('c_url', q.c_url);
    if (q.app_id) keep.set('app_id', q.app_id);
    if (q.app_code) keep.set('app_code', q.app_code); // what blueapps sends
    const s = keep.toString();
    return `${SITE}/${s ? `?${s}` : ''}`;
  };
  const show = (
    req: FastifyRequest,
    reply: FastifyReply,
    status: number,
    o: { username?: string; error?: string; info?: string },
  ) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(loginPage({ action: action(req), csrf: csrfToken(req, reply, ctx.csrf, ''), ...o }).value);
  const endSession = async (req: FastifyRequest, reply: FastifyReply) => {
    const token = presentedToken(req);
    if (token) {
      await ctx.tokens.logout(token);
      clearTokenCookie(ctx, reply);
    }
  };

  app.get('/', async (req, reply) => {
    await endSession(req, reply);
    const info = (req.query as Q).is_from_logout ? t('login.signed_out') : undefined;
    return show(req, reply, 200, { info });
  });

  app.post('/', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const username = typeof body.username === 'string' ? body.username.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    await endSession(req, reply);
    if (!checkCsrf(req, ctx.csrf, ''))
      return show(req, reply, 403, {
        username,
        error: t('login.form_expired'),
      });
    if (!username || !password) return show(req, reply, 400, { username, error: t('login.enter_both') });
    const ip = clientIp(req);
    const gate = await ctx.limiter.gate(username, ip);
    if (gate.waitSec > 0) {
      const min = Math.ceil(gate.waitSec / 60);
      return show(req, reply, 429, {
        username,
        error: t('login.too_many', { min }),
      });
    }
    // many failures for this user from anywhere: slow each try down, never refuse it
    if (gate.delayMs > 0) await new Promise((r) => setTimeout(r, gate.delayMs));
    const user = await findUser(ctx.db, { username });
    const v = await verifyPassword(password, user?.password ?? DUMMY_HASH);
    if (!user || !v.ok) {
      await ctx.limiter.fail(username, ip);
      return show(req, reply, 401, { username, error: t('login.wrong') });
    }
    if (v.rehash) await setPasswordHash(ctx.db, user.id, await hashPassword(password));
    await ctx.limiter.succeed(username, ip);
    const q = req.query as Q;
    await logLogin(ctx.db, user.id, {
      browser: String(req.headers['user-agent'] ?? ''),
      ip,
      host: String(req.headers.host ?? ''),
      appId: q.app_id ?? q.app_code ?? String(body.app_id ?? body.app_code ?? ''),
    });
    const { token } = await ctx.tokens.issue(user.username);
    setTokenCookie(ctx, reply, token, ctx.tokens.ageSec);
    const target = q.c_url ?? (typeof body.c_url === 'string' ? body.c_url : undefined);
    const { BK_COOKIE_DOMAIN, PAAS_DOMAIN } = ctx.config.domains;
    return reply.redirect(safeRedirect(target, BK_COOKIE_DOMAIN, HOME, [PAAS_DOMAIN]), 302);
  });

  app.get('/logout/', async (req, reply) => {
    await endSession(req, reply);
    clearTokenCookie(ctx, reply);
    const to = safeRedirect(
      (req.query as Q).c_url,
      ctx.config.domains.BK_COOKIE_DOMAIN,
      `${SITE}/?is_from_logout=1`,
      [ctx.config.domains.PAAS_DOMAIN],
    );
    return reply.redirect(to, 302);
  });
}
