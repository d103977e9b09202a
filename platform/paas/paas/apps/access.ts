// The one gate every per-app page goes through: a signed-in user who develops the app.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../../common/http/server';
import { t } from '../../common/i18n';
import type { PaasUser } from '../auth/login-client';
import { type PaasCtx, requireUser } from '../context';
import { type App, canEdit, findApp } from './store';

/** The user and the app named by `:code` that they may edit, or null after answering (login redirect or 404). */
export async function editableApp(
  ctx: PaasCtx,
  req: FastifyRequest<{ Params: { code: string } }>,
  reply: FastifyReply,
): Promise<[PaasUser, App] | null> {
  const u = await requireUser(ctx, req, reply);
  if (!u) return null;
  const a = await findApp(ctx.db, req.params.code);
  if (!a || !(await canEdit(ctx.db, a, u.username, u.isSuperuser))) {
    await sendError(req, reply, 404, t('apps.no_app', { code: req.params.code }));
    return null;
  }
  return [u, a];
}
