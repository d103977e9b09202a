// Who may call which developer-center route (see common/http/guard.ts), decided on the matched route.
import type { FastifyRequest } from 'fastify';
import { V1, V2, v1Fail, v2Fail } from '../../common/envelopes/envelopes';
import { type Guard, type GuardTable, PUBLIC } from '../../common/http/guard';
import { safeEqual } from '../../common/security/compare';
import { type PaasCtx, requireUser } from '../context';

/** True for ESB's headers `X-APP-CODE: esb` + `X-APP-TOKEN: <ESB_TOKEN>`. */
export function fromEsb(ctx: PaasCtx, req: FastifyRequest): boolean {
  const t = req.headers['x-app-token'];
  return (
    req.headers['x-app-code'] === 'esb' && typeof t === 'string' && safeEqual(t, ctx.config.secrets.ESB_TOKEN)
  );
}

/**
 * `any`: signed in; `developer`: roles developer or administrator; `superuser`: administrators;
 * `esb`: ESB's platform headers (answered in the v1/v2 envelope the caller expects).
 */
export function paasGuards(ctx: PaasCtx): GuardTable {
  const role =
    (need: 'any' | 'developer' | 'superuser'): Guard =>
    async (req, reply) =>
      (await requireUser(ctx, req, reply, need)) !== null;
  return {
    guards: {
      any: role('any'),
      developer: role('developer'),
      superuser: role('superuser'),
      esb: async (req, reply) => {
        if (fromEsb(ctx, req)) return true;
        const denied = 'ESB authentication failed: expected X-APP-CODE: esb with the platform X-APP-TOKEN';
        const v2 = req.routeOptions.url?.includes('/v2/');
        await reply.send(v2 ? v2Fail(V2.ESB_AUTH_FAILED, denied) : v1Fail(V1.ESB_AUTH_FAILED, denied));
        return false;
      },
    },
    routes: {
      '/': PUBLIC, // redirect to /platform/
      '/accounts/logout/': PUBLIC,
      '/release/static/poll.js': PUBLIC,
      '/platform/': 'any',
      '/console/': 'any',
      '/app/*': 'developer',
      '/release/*': 'developer',
      '/esb/api_docs/*': 'developer',
      '/admin/*': 'superuser',
      '/engine/server/*': 'superuser',
      '/paas/api/*': 'esb',
    },
  };
}
