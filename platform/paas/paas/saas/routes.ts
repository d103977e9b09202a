import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkPackage, LIMITS } from '../../appengine/saas/validate';
import { one, type Pool } from '../../common/db/pool';
import { t } from '../../common/i18n';
import { setDevelopers } from '../apps/store';
import type { PaasUser } from '../auth/login-client';
import { csrfOk, formToken, type PaasCtx, requireUser } from '../context';
import { paasPage } from '../views';
import { parseMultipart } from './multipart';
import { uploadForm } from './views';

type Stored = {
  result: boolean;
  message: string;
  data: {
    package_id: number;
    md5: string;
    app_yml: { app_code: string; app_name: string; version: string; language: string; introduction: string };
    app: { token: string };
  } | null;
};

/** Create the S-mart app's paas rows from app.yml, or update them; the uploader becomes a developer. */
async function upsertSaasApp(db: Pool, u: PaasUser, d: NonNullable<Stored['data']>): Promise<void> {
  const y = d.app_yml;
  const had = await one<{ id: number }>(db, 'SELECT id FROM paas_app WHERE code = ?', [y.app_code]);
  if (had) {
    await db.query(
      'UPDATE paas_app SET name = ?, introduction = ?, language = ?, auth_token = ? WHERE id = ?',
      [y.app_name, y.introduction, y.language, d.app.token, had.id],
    );
    return;
  }
  const [r] = (await db.query(
    'INSERT INTO paas_app (code, name, introduction, creater, language, auth_token, state, is_saas) VALUES (?, ?, ?, ?, ?, ?, 1, 1)',
    [y.app_code, y.app_name, y.introduction, u.username, y.language, d.app.token],
  )) as unknown as [{ insertId: number }];
  await setDevelopers(db, r.insertId, [u.username]);
}

/**
 * `GET|POST /saas/upload/` (administrators): upload an S-mart package. appengine checks and
 * stores it and registers the app from app.yml; then the app's paas rows are made or updated
 * and the browser goes to its deploy page (test, then production). A refused package is shown
 * with its reason and leaves nothing behind; a code held by a git app is refused before upload.
 */
export function saasRoutes(app: FastifyInstance, ctx: PaasCtx): void {
  const admin = { config: { auth: 'superuser' } };
  const form = (req: FastifyRequest, reply: FastifyReply, u: PaasUser, status: number, error?: string) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(
        paasPage(u, t('saas.title'), uploadForm(formToken(ctx, req, reply)), {
          flash: error ? { kind: 'error', text: error } : undefined,
        }).value,
      );

  app.register(async (scope) => {
    scope.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'buffer', bodyLimit: LIMITS.packageBytes + 64 * 1024 },
      (req, body, done) => {
        try {
          const parts = parseMultipart(body as Buffer, String(req.headers['content-type']));
          done(null, { ...parts.fields, package: parts.files.package });
        } catch (e) {
          done(e as Error, undefined);
        }
      },
    );
    scope.get('/saas/upload/', admin, async (req, reply) => {
      const u = await requireUser(ctx, req, reply, 'superuser');
      return u ? form(req, reply, u, 200) : reply;
    });
    scope.post(
      '/saas/upload/',
      { ...admin, bodyLimit: LIMITS.packageBytes + 64 * 1024 },
      async (req, reply) => {
        const u = await requireUser(ctx, req, reply, 'superuser');
        if (!u || !(await csrfOk(ctx, req, reply))) return reply;
        const file = (req.body as { package?: { filename: string; data: Buffer } }).package;
        if (!file?.data.length) return form(req, reply, u, 400, t('saas.no_file'));
        let code: string;
        try {
          code = checkPackage(file.data).meta.app_code; // appengine checks again; this names the code early
        } catch (e) {
          return form(req, reply, u, 400, t('saas.refused', { why: (e as Error).message }));
        }
        const git = await one(ctx.db, 'SELECT id FROM paas_app WHERE code = ? AND is_saas = 0', [code]);
        if (git) return form(req, reply, u, 409, t('saas.taken', { code }));
        let r: Response;
        try {
          r = await fetch(`${ctx.config.urls.appengine}/v1/saas/packages/`, {
            method: 'POST',
            headers: {
              'x-app-code': 'bk_paas',
              'x-app-token': ctx.config.secrets.ESB_TOKEN,
              'content-type': 'application/gzip',
              'x-file-name': file.filename.replace(/[^\w.-]/g, '_').slice(0, 255),
              'x-bkcec-user': u.username,
            },
            body: file.data,
            signal: AbortSignal.timeout(120_000),
          });
        } catch (e) {
          return form(req, reply, u, 502, `appengine: ${(e as Error).message}`);
        }
        const stored = (await r
          .json()
          .catch(() => ({ result: false, message: `HTTP ${r.status}`, data: null }))) as Stored;
        if (!stored.result || !stored.data)
          return form(req, reply, u, 400, stored.message || `HTTP ${r.status}`);
        await upsertSaasApp(ctx.db, u, stored.data);
        return reply.redirect(`/release/${code}/`, 303);
      },
    );
  });
}
