import type { FastifyInstance } from 'fastify';
import type { Pool } from '../../common/db/pool';
import { deny, guardedServer } from '../auth';
import { registerApp } from '../register';
import { deletePackage, packageFile, packageRow, packagesOf, savePackage } from './store';
import { checkPackage, LIMITS } from './validate';

const RAW = ['application/gzip', 'application/x-gzip', 'application/octet-stream', 'application/x-tar'];

/** Where an agent downloads package `id` (relative to appengine; the agent sends its X-ID/X-TOKEN). */
export const downloadPath = (id: number) => `/v1/saas/packages/${id}/download/`;

/**
 * S-mart packages (reference §3.5):
 * - `POST /v1/saas/packages/` (platform headers; body: the .tar.gz, header `X-File-Name`) checks
 *   the package, then stores it with its md5 and creates or updates the app from app.yml; a
 *   refused package leaves nothing behind. Deploy it with the release call and
 *   `saas_settings: {package_id}`.
 * - `GET /v1/apps/<code>/saas/packages/` (app headers) lists the app's packages.
 * - `GET /v1/saas/packages/<id>/download/` (a registered agent's X-ID/X-TOKEN) serves the file.
 */
export function saasRoutes(app: FastifyInstance, db: Pool): void {
  app.register(async (scope) => {
    scope.addContentTypeParser(
      RAW,
      { parseAs: 'buffer', bodyLimit: LIMITS.packageBytes + 1 },
      (_req, body, done) => done(null, body),
    );
    scope.post(
      '/v1/saas/packages/',
      { config: { auth: 'platform' }, bodyLimit: LIMITS.packageBytes + 1 },
      async (req, reply) => {
        if (!Buffer.isBuffer(req.body))
          return deny(reply, 415, `expected the package as the body with Content-Type ${RAW[0]}`);
        const name = String(req.headers['x-file-name'] ?? 'package.tar.gz').slice(0, 255);
        let checked: ReturnType<typeof checkPackage>;
        try {
          checked = checkPackage(req.body);
        } catch (e) {
          return deny(reply, 400, `S-mart package refused: ${(e as Error).message}`);
        }
        const by = String(req.headers['x-bkcec-user'] ?? '').slice(0, 128);
        const id = await savePackage(db, checked, req.body, name, by);
        let engineApp: Awaited<ReturnType<typeof registerApp>>;
        try {
          engineApp = await registerApp(db, {
            app_code: checked.meta.app_code,
            name: checked.meta.app_name,
            app_lang: checked.meta.language,
          });
        } catch (e) {
          await deletePackage(db, id);
          throw e;
        }
        return {
          result: true,
          message: '',
          data: {
            package_id: id,
            md5: checked.md5,
            size: checked.size,
            app_yml: checked.meta,
            app: engineApp,
          },
        };
      },
    );
  });

  app.get<{ Params: { code: string } }>('/v1/apps/:code/saas/packages/', async (req) => ({
    result: true,
    message: '',
    data: await packagesOf(db, req.params.code),
  }));

  app.get<{ Params: { id: string } }>(
    '/v1/saas/packages/:id/download/',
    { config: { auth: 'agent' } },
    async (req, reply) => {
      guardedServer(req);
      const row = await packageRow(db, Number(req.params.id) || 0);
      if (!row) return deny(reply, 404, `no S-mart package ${req.params.id}`);
      return reply
        .type('application/gzip')
        .header('content-disposition', `attachment; filename="${row.app_code}-${row.id}.tar.gz"`)
        .send(await packageFile(db, row.id));
    },
  );
}
