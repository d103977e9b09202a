import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { exec, one, type Pool } from '../../common/db/pool';
import { deny, guardedApp, guardedServer } from '../auth';
import { type EventStatus, eventApp, readEvent, record, STATUSES } from './store';

const MAX_CHUNK = 256 * 1024;

/**
 * `GET /v1/apps/<code>/events/<id>/logs/` (app headers) and `POST /v1/apps/<code>/events/<id>[/]`
 * (agent headers `X-ID`/`X-TOKEN`; the agent must host the app): the agent's log chunks.
 */
export function eventRoutes(app: FastifyInstance, db: Pool): void {
  app.get<{ Params: { code: string; id: string } }>('/v1/apps/:code/events/:id/logs/', async (req, reply) => {
    const a = guardedApp(req);
    const e = await readEvent(db, a.id, req.params.id);
    if (!e) return deny(reply, 404, `no event ${req.params.id} of app ${a.app_code}`);
    return { result: true, message: '', data: e };
  });

  const post = async (req: FastifyRequest<{ Params: { code: string; id: string } }>, reply: FastifyReply) => {
    const server = guardedServer(req);
    const ev = await eventApp(db, req.params.id);
    if (!ev || ev.app_code !== req.params.code)
      return deny(reply, 404, `no event ${req.params.id} of app ${req.params.code}`);
    const hosts = await one(
      db,
      'SELECT 1 AS ok FROM engine_hosting_ships WHERE bk_app_id = ? AND bk_server_id = ?',
      [ev.bk_app_id, server.id],
    );
    if (!hosts) return deny(reply, 403, `server ${server.s_id} does not host app ${req.params.code}`);
    const b = (req.body ?? {}) as Record<string, unknown>;
    const status = String(b.status ?? '') as EventStatus;
    if (!STATUSES.includes(status) || status === 'READY')
      return deny(
        reply,
        400,
        `status: expected STARTED, PENDING, SUCCESS or FAILURE, got ${JSON.stringify(b.status ?? null)}`,
      );
    const log = typeof b.log === 'string' ? b.log : '';
    if (log.length > MAX_CHUNK)
      return deny(reply, 413, `log: expected at most ${MAX_CHUNK} characters per chunk, got ${log.length}`);
    // a successful build tells the language it found in the code (stored before the event ends,
    // so whoever sees SUCCESS sees the language too): the developer center shows it
    if (status === 'SUCCESS' && (b.app_lang === 'python' || b.app_lang === 'nodejs')) {
      await exec(db, 'UPDATE engine_apps SET app_lang = ? WHERE id = ?', [b.app_lang, ev.bk_app_id]);
      await exec(db, 'UPDATE paas_app SET language = ? WHERE code = ?', [b.app_lang, ev.app_code]);
    }
    if (!(await record(db, req.params.id, status, log)))
      return deny(reply, 409, `event ${req.params.id} has already finished`);
    return { result: true, message: '', data: null };
  };
  app.post('/v1/apps/:code/events/:id', post);
  app.post('/v1/apps/:code/events/:id/', post);
}
