import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkCsrf, csrfToken } from '../../common/csrf/csrf';
import { ajax } from '../../common/envelopes/envelopes';
import { sendError } from '../../common/http/server';
import { type MessageKey, t } from '../../common/i18n';
import { type LoginCtx, presentedToken, SITE } from '../context';
import {
  changePasswordAction,
  createUserAction,
  deleteUserAction,
  type Outcome,
  updateUserAction,
} from '../users/service';
import { findUser, listUsers, type User } from '../users/store';
import { adminPage, editUser, newUserForm, userList } from '../views/users';
import { signedIn } from './guards';

type Q = Record<string, string | undefined>;
const LIST = `${SITE}/accounts/user/list/`;
const FLASH: Record<string, MessageKey> = {
  created: 'users.flash_created',
  saved: 'users.flash_saved',
  password: 'users.flash_password',
  deleted: 'users.flash_deleted',
};

/**
 * User administration: pages with forms (POST) and the reference's AJAX verbs (PUT/DELETE).
 * Every route here is under `/accounts/`, guarded by `user` (guards.ts).
 */
export function adminRoutes(app: FastifyInstance, ctx: LoginCtx): void {
  const csrfOk = (req: FastifyRequest) => checkCsrf(req, ctx.csrf, presentedToken(req) ?? '');
  const html = (reply: FastifyReply, status: number, body: { value: string }) =>
    reply.code(status).type('text/html; charset=utf-8').send(body.value);

  const list = async (req: FastifyRequest, reply: FastifyReply) => {
    const u = signedIn(req);
    const q = req.query as Q;
    const page = Math.max(1, Number(q.page) || 1);
    const role = q.search_role && /^[0-4]$/.test(q.search_role) ? Number(q.search_role) : undefined;
    const search = (q.search_data ?? '').trim();
    const r = u.isSuperuser
      ? await listUsers(ctx.db, { search, role, page, pageSize: 20 })
      : { users: [u], total: 1 };
    const flash = q.done && FLASH[q.done] ? { kind: 'ok' as const, text: t(FLASH[q.done]!) } : undefined;
    const csrf = csrfToken(req, reply, ctx.csrf, presentedToken(req) ?? '');
    return html(
      reply,
      200,
      adminPage(
        u,
        t('users.nav_users'),
        userList({ me: u, ...r, page, pageSize: 20, search, role, csrf }),
        flash,
      ),
    );
  };
  app.get('/accounts/', list);
  app.get('/accounts/user/list/', list);

  app.get('/accounts/user/new/', async (req, reply) => {
    const u = signedIn(req);
    if (!u.isSuperuser) return sendError(req, reply, 403, t('users.only_admin_create'));
    return html(
      reply,
      200,
      adminPage(
        u,
        t('users.new_user'),
        newUserForm(csrfToken(req, reply, ctx.csrf, presentedToken(req) ?? '')),
      ),
    );
  });

  app.get<{ Params: { id: string } }>('/accounts/user/:id/edit/', async (req, reply) => {
    const u = signedIn(req);
    const target = await findUser(ctx.db, { id: Number(req.params.id) || 0 });
    if (!target || (!u.isSuperuser && target.id !== u.id))
      return sendError(req, reply, 404, t('users.no_such_user'));
    return html(
      reply,
      200,
      adminPage(
        u,
        target.username,
        editUser(u, target, csrfToken(req, reply, ctx.csrf, presentedToken(req) ?? '')),
      ),
    );
  });

  /** Run an action for a form POST (redirect or re-show with the error) or an AJAX verb. */
  const act =
    (
      run: (u: User, req: FastifyRequest<{ Params: { id?: string } }>) => Promise<Outcome>,
      done: string,
      ajaxVerb: boolean,
    ) =>
    async (req: FastifyRequest<{ Params: { id?: string } }>, reply: FastifyReply) => {
      const u = signedIn(req);
      if (!csrfOk(req)) return sendError(req, reply, 403, t('common.csrf_failed'));
      const r = await run(u, req);
      if (ajaxVerb)
        return reply
          .code(r.ok ? 200 : r.status)
          .send(ajax(r.ok, r.message, r.ok && r.id ? { id: r.id } : {}));
      if (!r.ok) {
        const csrf = csrfToken(req, reply, ctx.csrf, presentedToken(req) ?? '');
        const id = Number(req.params.id);
        const target = id ? await findUser(ctx.db, { id }) : undefined;
        const body = target
          ? editUser(u, target, csrf)
          : newUserForm(csrf, req.body as Record<string, string>);
        return html(
          reply,
          r.status,
          adminPage(u, t('users.nav_users'), body, { kind: 'error', text: r.message }),
        );
      }
      const to = done === 'deleted' || u.isSuperuser ? LIST : `${SITE}/accounts/user/${u.id}/edit/`;
      return reply.redirect(`${to}?done=${done}`, 303);
    };
  const body = (req: FastifyRequest) => (req.body ?? {}) as Record<string, unknown>;
  const id = (req: FastifyRequest<{ Params: { id?: string } }>) => Number(req.params.id) || 0;
  const create = (u: User, req: FastifyRequest) => createUserAction(ctx, u, body(req));
  const update = (u: User, req: FastifyRequest<{ Params: { id?: string } }>) =>
    updateUserAction(ctx, u, id(req), body(req));
  const password = (u: User, req: FastifyRequest<{ Params: { id?: string } }>) =>
    changePasswordAction(ctx, u, id(req), body(req));
  const remove = (u: User, req: FastifyRequest<{ Params: { id?: string } }>) =>
    deleteUserAction(ctx, u, id(req));

  app.post('/accounts/user/', act(create, 'created', false));
  app.post('/accounts/user/:id/', act(update, 'saved', false));
  app.post('/accounts/user/:id/password/', act(password, 'password', false));
  app.post('/accounts/user/:id/delete/', act(remove, 'deleted', false));
  app.put('/accounts/user/:id/', act(update, 'saved', true));
  app.put('/accounts/user/:id/password/', act(password, 'password', true));
  app.delete('/accounts/user/:id/', act(remove, 'deleted', true));
}
