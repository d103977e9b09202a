import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { exec, isDuplicate, one } from '../../common/db/pool';
import { sendError } from '../../common/http/server';
import { type MessageKey, t } from '../../common/i18n';
import { csrfOk, formToken, type PaasCtx, requireUser } from '../context';
import { paasPage } from '../views';
import { audit, getWhitelist, listAccounts, recentAudit, saveWhitelist } from './store';
import { esbAdmin } from './views';

const CODE = /^[A-Za-z0-9_-]{1,30}$/;
const str = (b: unknown, k: string) => {
  const v = (b as Record<string, unknown> | undefined)?.[k];
  return typeof v === 'string' ? v.trim() : '';
};
const FLASH: Record<string, MessageKey> = {
  wl: 'esbadmin.flash_wl',
  add: 'esbadmin.flash_add',
  del: 'esbadmin.flash_del',
};

/** Superuser screens for the ESB whitelist and app accounts; every change writes paas_audit_log. */
export function adminRoutes(app: FastifyInstance, ctx: PaasCtx): void {
  const back = (reply: FastifyReply, done: string) => reply.redirect(`/admin/esb/?done=${done}`, 303);

  app.get('/admin/esb/', async (req, reply) => {
    const u = await requireUser(ctx, req, reply, 'superuser');
    if (!u) return reply;
    const [wl, accounts, lines] = await Promise.all([
      getWhitelist(ctx.db),
      listAccounts(ctx.db),
      recentAudit(ctx.db),
    ]);
    const done = (req.query as Record<string, string>).done;
    const flash = done && FLASH[done] ? { kind: 'ok' as const, text: t(FLASH[done]!) } : undefined;
    const body = esbAdmin({ wl, accounts, audit: lines, csrf: formToken(ctx, req, reply) });
    return reply
      .type('text/html; charset=utf-8')
      .send(paasPage(u, t('nav.esb_admin'), body, { active: '/admin/esb/', flash }).value);
  });

  app.post('/admin/esb/whitelist/', async (req, reply) => {
    const u = await requireUser(ctx, req, reply, 'superuser');
    if (!u || !(await csrfOk(ctx, req, reply))) return reply;
    const codes = [
      ...new Set(
        str(req.body, 'wlist')
          .split(/[,;\s]+/)
          .filter(Boolean),
      ),
    ];
    const bad = codes.filter((c) => !CODE.test(c));
    if (bad.length) return sendError(req, reply, 400, t('esbadmin.bad_codes', { list: bad.join(', ') }));
    const status = str(req.body, 'switch_status') === '0' ? 0 : 1;
    const before = await getWhitelist(ctx.db);
    await saveWhitelist(ctx.db, { switch_status: status, wlist: codes.join(',') });
    await audit(
      ctx.db,
      u.username,
      'whitelist.update',
      'user_auth::skip_user_auth',
      `switch ${before.switch_status}→${status}; wlist "${before.wlist}" → "${codes.join(',')}"`,
    );
    return back(reply, 'wl');
  });

  app.post('/admin/esb/app_accounts/', async (req, reply) => {
    const u = await requireUser(ctx, req, reply, 'superuser');
    if (!u || !(await csrfOk(ctx, req, reply))) return reply;
    const code = str(req.body, 'app_code');
    const token = str(req.body, 'app_token') || randomUUID();
    if (!CODE.test(code)) return sendError(req, reply, 400, t('esbadmin.bad_code', { code }));
    if (token.length < 16 || token.length > 128) return sendError(req, reply, 400, t('esbadmin.bad_secret'));
    try {
      await exec(ctx.db, 'INSERT INTO esb_app_account (app_code, app_token, introduction) VALUES (?, ?, ?)', [
        code,
        token,
        str(req.body, 'introduction'),
      ]);
    } catch (e) {
      if (isDuplicate(e)) return sendError(req, reply, 409, t('esbadmin.exists', { code }));
      throw e;
    }
    await audit(ctx.db, u.username, 'app_account.add', code, 'added');
    return back(reply, 'add');
  });

  app.post<{ Params: { id: string } }>('/admin/esb/app_accounts/:id/delete/', async (req, reply) => {
    const u = await requireUser(ctx, req, reply, 'superuser');
    if (!u || !(await csrfOk(ctx, req, reply))) return reply;
    const row = await one<{ app_code: string }>(ctx.db, 'SELECT app_code FROM esb_app_account WHERE id = ?', [
      Number(req.params.id) || 0,
    ]);
    if (!row) return sendError(req, reply, 404, t('esbadmin.no_account', { id: req.params.id }));
    await exec(ctx.db, 'DELETE FROM esb_app_account WHERE id = ?', [Number(req.params.id)]);
    await audit(ctx.db, u.username, 'app_account.delete', row.app_code, 'deleted');
    return back(reply, 'del');
  });
}
