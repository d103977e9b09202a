import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { publicUrl } from '../../common/config/config';
import { exec, one, type Pool } from '../../common/db/pool';
import { escapeHtml } from '../../common/html/html';
import { t } from '../../common/i18n';
import { editableApp } from '../apps/access';
import type { App } from '../apps/store';
import { csrfOk, formToken, type PaasCtx } from '../context';
import { paasPage } from '../views';
import { activeModes, eventLog, release } from './engine';
import { localizeLog } from './loglines';
import { type OfflineMode, type Operation, offlineEnvs, refusal } from './machine';
import { celerySettings, releaseBody } from './payload';
import { POLL_JS } from './script';
import { attachEvents, begin, findRecord, finish, history, type ReleaseRecord } from './store';
import { releasePage } from './views';

type P = { Params: { code: string } };
const isSaas = async (db: Pool, code: string) =>
  (await one<{ is_saas: number }>(db, 'SELECT is_saas FROM paas_app WHERE code = ?', [code]))?.is_saas === 1;
/** A deploy without a final event status after this long is failed (EVENT_STATE_EXPIRE_SECONDS). */
export const EXPIRE_SECONDS = 360;

/**
 * The deploy pages (reference §3.2 `/release/<code>/…`): the page with its buttons and history,
 * `test/`, `online/`, `offline/` (POST, CSRF), and `task/?event_id=` (the log poll, which also
 * finishes the state change once appengine reports the end).
 */
export function releaseRoutes(app: FastifyInstance, ctx: PaasCtx): void {
  const appFor = (req: FastifyRequest<P>, reply: FastifyReply) => editableApp(ctx, req, reply);
  const engineApp = (a: App) => ({ code: a.code, token: a.auth_token });
  const urls = (a: App) => ({
    testUrl: `${publicUrl(ctx.config)}/t/${a.code}/`,
    prodUrl: `${publicUrl(ctx.config)}/o/${a.code}/`,
  });

  app.get('/release/static/poll.js', async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').send(POLL_JS),
  );

  app.get<P & { Querystring: { record?: string; error?: string } }>('/release/:code/', async (req, reply) => {
    const r = await appFor(req, reply);
    if (!r) return reply;
    const [u, a] = r;
    const recs = await history(ctx.db, a.code);
    const shown = req.query.record
      ? await findRecord(ctx.db, a.code, { id: Number(req.query.record) || 0 })
      : recs.find((x) => !x.is_done);
    const active = await activeModes(ctx.config).catch(() => new Set<string>());
    const celery = (await isSaas(ctx.db, a.code)) ? undefined : await celerySettings(ctx.db, a.code);
    const body = releasePage({
      app: a,
      csrf: formToken(ctx, req, reply),
      active,
      shown,
      recs,
      celery,
      ...urls(a),
    });
    const flash = req.query.error ? { kind: 'error' as const, text: req.query.error } : undefined;
    return reply
      .type('text/html; charset=utf-8')
      .send(paasPage(u, t('release.title', { name: a.name }), body, { flash }).value);
  });

  /** Start `op`: machine check, server check, record + interim state, appengine call(s). */
  const start = async (req: FastifyRequest<P>, reply: FastifyReply, op: Operation) => {
    const r = await appFor(req, reply);
    if (!r || !(await csrfOk(ctx, req, reply))) return reply;
    const [u, a] = r;
    const form = (req.body ?? {}) as Record<string, string>;
    const mode = (['all', 'test', 'prod'].includes(form.mode ?? '') ? form.mode : 'all') as OfflineMode;
    const back = (error: string) =>
      reply.redirect(`/release/${a.code}/?error=${encodeURIComponent(error)}`, 303);
    const why = refusal(a, op, mode);
    if (why) return back(t('release.refused', { why }));
    const env: 'test' | 'prod' = op === 'test' ? 'test' : 'prod';
    // the deploy-to-test form sets a git app's Celery worker/beat; production uses what test ran
    if (op === 'test' && !(await isSaas(ctx.db, a.code))) {
      const worker = form.is_use_celery === '1';
      await exec(ctx.db, 'UPDATE paas_app SET is_use_celery = ?, is_use_celery_beat = ? WHERE code = ?', [
        worker ? 1 : 0,
        worker && form.is_use_celery_beat === '1' ? 1 : 0,
        a.code,
      ]);
    }
    let body: Record<string, unknown> | undefined;
    if (op !== 'offline') {
      if (!(await activeModes(ctx.config).catch(() => new Set<string>())).has(env))
        return back(
          env === 'test' ? t('release.refused_no_server_test') : t('release.refused_no_server_prod'),
        );
      const b = await releaseBody(ctx.config, ctx.db, a, env);
      if ('error' in b) return back(t('release.refused', { why: b.error }));
      body = b.body;
    }
    const id = await begin(ctx.db, a, op, u.username, { mode, features: form.features, bugs: form.bugs });
    if (!id) return back(t('release.refused_meanwhile'));
    const rec = (await findRecord(ctx.db, a.code, { id }))!;
    const envs: ('test' | 'prod')[] = op === 'offline' ? offlineEnvs(a, mode) : [env];
    const events: ReleaseRecord['extra']['events'] = [];
    const errors: string[] = [];
    for (const e of envs) {
      const s = await release(ctx.config, engineApp(a), e, body);
      if (s.eventId) events.push({ env: e, id: s.eventId });
      if (!s.ok) errors.push(`${e}: ${s.message}`);
    }
    await attachEvents(ctx.db, rec, events);
    if (events.length === 0) await finish(ctx.db, rec, false, errors.join('\n'));
    req.log.info({ user: u.username, app: a.code, op, mode }, 'release started');
    return reply.redirect(`/release/${a.code}/?record=${id}`, 303);
  };
  app.post<P>('/release/:code/test/', (req, reply) => start(req, reply, 'test'));
  app.post<P>('/release/:code/online/', (req, reply) => start(req, reply, 'online'));
  app.post<P>('/release/:code/offline/', (req, reply) => start(req, reply, 'offline'));

  app.get<P & { Querystring: { event_id?: string } }>('/release/:code/task/', async (req, reply) => {
    const r = await appFor(req, reply);
    if (!r) return reply;
    const a = r[1];
    const rec = await findRecord(ctx.db, a.code, { eventId: req.query.event_id ?? '' });
    if (!rec)
      return reply.code(404).send({
        result: false,
        message: t('release.no_event', { id: req.query.event_id ?? '' }),
        data: null,
      });
    const logs: string[] = [];
    const statuses: string[] = [];
    for (const e of rec.extra.events) {
      const ev = await eventLog(ctx.config, engineApp(a), e.id).catch((err: Error) => ({
        status: 'UNKNOWN',
        logs: err.message,
      }));
      statuses.push(ev.status);
      logs.push(rec.extra.events.length > 1 ? `== ${e.env} ==\n${ev.logs}` : ev.logs);
    }
    const text = logs.join('\n');
    const failed = statuses.includes('FAILURE');
    const expired = Date.now() - rec.operate_time.getTime() > EXPIRE_SECONDS * 1000;
    if (!rec.is_done && (failed || statuses.every((s) => s === 'SUCCESS') || expired))
      await finish(
        ctx.db,
        rec,
        !failed && !expired,
        expired && !failed ? `${text}\n${t('release.no_result', { s: EXPIRE_SECONDS })}` : text,
      );
    const now = (await findRecord(ctx.db, a.code, { id: rec.id }))!;
    const status = !now.is_done ? 2 : now.is_success ? 1 : 0;
    const { testUrl, prodUrl } = urls(a);
    const shown = localizeLog(text);
    return {
      result: true,
      message: '',
      data: { status, logs: shown, html: escapeHtml(shown), app_test_url: testUrl, app_prod_url: prodUrl },
    };
  });
}
