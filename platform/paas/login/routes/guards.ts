// Who may call which login route (see common/http/guard.ts), decided on the matched route.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type GuardTable, PUBLIC, principal, setPrincipal } from '../../common/http/guard';
import { sendError, wantsJson } from '../../common/http/server';
import { t } from '../../common/i18n';
import { type LoginCtx, presentedToken, SITE } from '../context';
import { findUser, type User } from '../users/store';

/** The signed-in user the `user` guard let in. */
export const signedIn = (req: FastifyRequest): User => principal<User>(req)!;

/** `user`: a valid bk_token cookie of an existing user; pages redirect to sign-in, the rest get 401. */
export function loginGuards(ctx: LoginCtx): GuardTable {
  const user = async (req: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    const c = await ctx.tokens.check(presentedToken(req));
    const u = c.ok ? await findUser(ctx.db, { username: c.username }) : undefined;
    if (u) {
      setPrincipal(req, u);
      return true;
    }
    if (wantsJson(req) || req.method !== 'GET') await sendError(req, reply, 401, t('common.sign_in_first'));
    else
      await reply.redirect(
        `${SITE}/?c_url=${encodeURIComponent(SITE + req.url.replace(/^\/login(?=\/)/, ''))}`,
        302,
      );
    return false;
  };
  return {
    guards: { user },
    // Patterns without the `/login` mount prefix (the table covers both mounts).
    routes: {
      '/': PUBLIC,
      '/logout/': PUBLIC,
      '/accounts/*': 'user',
      // The token APIs check their own credential (bk_token in the query, or ESB's headers) and
      // must answer in the reference envelopes: routes/api.ts.
      '/accounts/is_login/': PUBLIC,
      '/accounts/get_user/': PUBLIC,
      '/accounts/get_all_user/': PUBLIC,
      '/accounts/get_batch_user/': PUBLIC,
      '/api/v2/*': PUBLIC,
    },
  };
}
