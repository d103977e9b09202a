import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { publicUrl } from '../../common/config/config';
import { exec, isDuplicate, one } from '../../common/db/pool';
import { sendError } from '../../common/http/server';
import { type MessageKey, t } from '../../common/i18n';
import { csrfOk, formToken, type PaasCtx, requireUser } from '../context';
import { paasPage } from '../views';
import { editableApp } from './access';
import { isReservedCode } from './reserved';
import { APP_RULES, ENV_RULES, envName, splitUsers } from './rules';
import { secretChanged } from './secret';
import { developers, insertApp, listApps, listEnv, setDevelopers } from './store';
import { appTable, createForm, envPage, infoPage } from './views';

type P = { Params: { code: string; id?: string } };
const str = (b: unknown, k: string) => {
  const v = (b as Record<string, unknown> | undefined)?.[k];
  return typeof v === 'string' ? v.trim() : '';
};
const FLASH: Record<string, MessageKey> = {
  created: 'apps.flash_created',
  saved: 'apps.flash_saved',
  env: 'apps.flash_env',
  envdel: 'apps.flash_envdel',
  deleted: 'apps.flash_deleted',
  rotated: 'apps.flash_rotated',
};

/** An app may be deleted while it runs nowhere: in development, or offline in every environment. */
const deletable = (a: { state: number; is_already_test: number; is_already_online: number }) =>
  (a.state === 1 || a.state === 0) && !a.is_already_test && !a.is_already_online;

/** App create/list/info/edit/developers/env/delete pages (developers and administrators). */
export function appRoutes(app: FastifyInstance, ctx: PaasCtx): void {
  const send = (reply: FastifyReply, status: number, body: { value: string }) =>
    reply.code(status).type('text/html; charset=utf-8').send(body.value);
  const flashOf = (req: FastifyRequest) => {
    const d = (req.query as Record<string, string>).done;
    return d && FLASH[d] ? { kind: 'ok' as const, text: t(FLASH[d]!) } : undefined;
  };
  const appFor = (req: FastifyRequest<P>, reply: FastifyReply) => editableApp(ctx, req, reply);
  /** Developers that exist in login, or the error text naming the unknown ones. */
  const checkDevs = async (list: string[]): Promise<string | null> => {
    const known = await ctx.login.existing(list);
    const unknown = list.filter((n) => !known.has(n));
    return unknown.length ? t('apps.unknown_users', { list: unknown.join(', ') }) : null;
  };

  app.get('/app/', async (req, reply) => {
    const u = await requireUser(ctx, req, reply);
    if (!u) return reply;
    return send(
      reply,
      200,
      paasPage(u, t('nav.create_app'), createForm(formToken(ctx, req, reply)), { active: '/app/' }),
    );
  });

  app.post('/app/', async (req, reply) => {
    const u = await requireUser(ctx, req, reply);
    if (!u || !(await csrfOk(ctx, req, reply))) return reply;
    const f = {
      code: str(req.body, 'code'),
      name: str(req.body, 'name'),
      introduction: str(req.body, 'introduction'),
      developer: str(req.body, 'developer'),
      vcs_url: str(req.body, 'vcs_url'),
    };
    const devs = splitUsers(f.developer).filter((d) => d !== u.username);
    const fail = (status: number, text: string) =>
      send(
        reply,
        status,
        paasPage(u, t('nav.create_app'), createForm(formToken(ctx, req, reply), f), {
          active: '/app/',
          flash: { kind: 'error', text },
        }),
      );
    const err =
      APP_RULES.code(f.code) ??
      APP_RULES.name(f.name) ??
      APP_RULES.introduction(f.introduction) ??
      APP_RULES.vcsUrl(f.vcs_url) ??
      (await checkDevs(devs));
    if (err) return fail(400, err);
    if (await isReservedCode(ctx.db, f.code)) return fail(403, t('apps.reserved_code', { code: f.code }));
    if (await one(ctx.db, 'SELECT id FROM paas_app WHERE code = ? OR name = ?', [f.code, f.name]))
      return fail(409, t('apps.exists', { code: f.code, name: f.name }));
    const token = await ctx.engine.register({
      code: f.code,
      name: f.name,
      language: 'python',
      newSecret: true,
    });
    try {
      const id = await insertApp(ctx.db, {
        ...f,
        creater: u.username,
        language: 'python',
        token,
        vcsType: 0,
        vcsUrl: f.vcs_url,
      });
      await setDevelopers(ctx.db, id, [u.username, ...devs]);
      await secretChanged(ctx, req, f.code); // ESB may have cached "no such app" for this code
    } catch (e) {
      if (isDuplicate(e)) return fail(409, t('apps.exists', { code: f.code, name: f.name }));
      throw e;
    }
    return reply.redirect(`/app/${f.code}/info/?done=created`, 303);
  });

  app.get('/app/list/', async (req, reply) => {
    const u = await requireUser(ctx, req, reply);
    if (!u) return reply;
    const keyword = String((req.query as Record<string, string>).keyword ?? '').trim();
    const apps = await listApps(ctx.db, { username: u.username, all: u.isSuperuser, keyword });
    const body = paasPage(u, t('apps.list_title'), appTable(apps, t('apps.none')), {
      active: '/app/list/',
      flash: flashOf(req),
    });
    return send(reply, 200, body);
  });

  app.get<P>('/app/:code/info/', async (req, reply) => {
    const r = await appFor(req, reply);
    if (!r) return reply;
    const [u, a] = r;
    const sec = await one<{ vcs_url: string }>(
      ctx.db,
      'SELECT vcs_url FROM paas_app_secureinfo WHERE app_code = ?',
      [a.code],
    );
    const canDelete = a.creater === u.username && deletable(a);
    const base = publicUrl(ctx.config);
    const body = infoPage({
      app: a,
      devs: await developers(ctx.db, a.id),
      vcsUrl: sec?.vcs_url ?? '',
      csrf: formToken(ctx, req, reply),
      canDelete,
      testUrl: `${base}/t/${a.code}/`,
      prodUrl: `${base}/o/${a.code}/`,
    });
    return send(reply, 200, paasPage(u, a.name, body, { flash: flashOf(req) }));
  });

  app.get<P>('/app/:code/secret/', async (req, reply) => {
    const r = await appFor(req, reply);
    if (!r) return reply;
    req.log.info({ user: r[0].username, app: r[1].code }, 'app secret revealed');
    return reply
      .header('cache-control', 'no-store')
      .send({ result: true, message: '', data: { secret: r[1].auth_token } });
  });

  app.post<P>('/app/:code/', async (req, reply) => {
    const r = await appFor(req, reply);
    if (!r || !(await csrfOk(ctx, req, reply))) return reply;
    const [u, a] = r;
    const f = {
      name: str(req.body, 'name'),
      introduction: str(req.body, 'introduction'),
      vcs_url: str(req.body, 'vcs_url'),
    };
    const err =
      APP_RULES.name(f.name) ?? APP_RULES.introduction(f.introduction) ?? APP_RULES.vcsUrl(f.vcs_url);
    if (err) return sendError(req, reply, 400, err);
    try {
      await exec(ctx.db, 'UPDATE paas_app SET name = ?, introduction = ? WHERE id = ?', [
        f.name,
        f.introduction,
        a.id,
      ]);
    } catch (e) {
      if (isDuplicate(e)) return sendError(req, reply, 409, t('apps.name_taken', { name: f.name }));
      throw e;
    }
    await exec(ctx.db, 'UPDATE paas_app_secureinfo SET vcs_url = ? WHERE app_code = ?', [f.vcs_url, a.code]);
    req.log.info({ user: u.username, app: a.code }, 'app edited');
    return reply.redirect(`/app/${a.code}/info/?done=saved`, 303);
  });

  app.post<P>('/app/:code/developers/', async (req, reply) => {
    const r = await appFor(req, reply);
    if (!r || !(await csrfOk(ctx, req, reply))) return reply;
    const [, a] = r;
    const list = [...new Set([a.creater, ...splitUsers(str(req.body, 'developer'))])];
    const err = await checkDevs(list.filter((n) => n !== a.creater));
    if (err) return sendError(req, reply, 400, err);
    await setDevelopers(ctx.db, a.id, list);
    return reply.redirect(`/app/${a.code}/info/?done=saved`, 303);
  });

  app.get<P>('/app/:code/env/', async (req, reply) => {
    const r = await appFor(req, reply);
    if (!r) return reply;
    const body = envPage(r[1].code, await listEnv(ctx.db, r[1].code), formToken(ctx, req, reply));
    return send(reply, 200, paasPage(r[0], t('apps.env_title'), body, { flash: flashOf(req) }));
  });

  app.post<P>('/app/:code/env/', async (req, reply) => {
    const r = await appFor(req, reply);
    if (!r || !(await csrfOk(ctx, req, reply))) return reply;
    const f = {
      name: str(req.body, 'name'),
      value: str(req.body, 'value'),
      mode: str(req.body, 'mode') || 'all',
      intro: str(req.body, 'intro'),
    };
    const err = ENV_RULES.name(f.name) ?? ENV_RULES.mode(f.mode) ?? ENV_RULES.value(f.value);
    if (err) return sendError(req, reply, 400, err);
    await exec(
      ctx.db,
      'INSERT INTO paas_app_envvars (app_code, mode, name, value, intro) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE value = VALUES(value), intro = VALUES(intro)',
      [r[1].code, f.mode, envName(f.name), f.value, f.intro],
    );
    return reply.redirect(`/app/${r[1].code}/env/?done=env`, 303);
  });

  app.post<P>('/app/:code/env/:id/delete/', async (req, reply) => {
    const r = await appFor(req, reply);
    if (!r || !(await csrfOk(ctx, req, reply))) return reply;
    await exec(ctx.db, 'DELETE FROM paas_app_envvars WHERE id = ? AND app_code = ?', [
      Number(req.params.id) || 0,
      r[1].code,
    ]);
    return reply.redirect(`/app/${r[1].code}/env/?done=envdel`, 303);
  });

  app.post<P>('/release/:code/delete/', async (req, reply) => {
    const r = await appFor(req, reply);
    if (!r || !(await csrfOk(ctx, req, reply))) return reply;
    const [u, a] = r;
    if (a.creater !== u.username) return sendError(req, reply, 403, t('apps.only_creator_delete'));
    if (!deletable(a)) return sendError(req, reply, 409, t('apps.only_dev_delete'));
    // its database, account and Celery brokers go first: a failure leaves the app as it was
    try {
      await ctx.engine.dropResources(a.code);
    } catch (e) {
      return sendError(req, reply, 502, (e as Error).message);
    }
    await exec(ctx.db, 'DELETE FROM paas_app_envvars WHERE app_code = ?', [a.code]);
    await exec(ctx.db, 'DELETE FROM paas_app_secureinfo WHERE app_code = ?', [a.code]);
    await exec(ctx.db, 'DELETE FROM paas_app WHERE id = ?', [a.id]);
    await secretChanged(ctx, req, a.code);
    req.log.info({ user: u.username, app: a.code }, 'app deleted');
    return reply.redirect('/app/list/?done=deleted', 303);
  });
}
