import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PaasConfig } from '../../common/config/config';
import type { Pool } from '../../common/db/pool';
import type { RedisHandle } from '../../common/redis/redis';
import { callAgent } from '../agents/client';
import type { Mode } from '../agents/store';
import { deny, guardedApp } from '../auth';
import { createEvent, record } from '../events/store';
import type { LicenseGate } from '../license';
import { downloadPath } from '../saas/routes';
import { packageRow } from '../saas/store';
import { brokerEnvs, dropBrokers, ensureBroker } from './broker';
import { databaseEnvs, ensureAppDatabase } from './database';
import { parseRelease } from './payload';
import { hostingServers, pickServer, saveEnvs } from './server';

/** Error codes of the release answer (reference §3.4). */
export const RELEASE_ERROR = { ok: 0, failed: 1, license: 20101, mq: 20300 } as const;

type Params = { Params: { code: string; mode: string } };

/** Finish the event as failed with `why` as its log and answer `{result:false, data:{event_id, error_code}}`. */
async function fail(db: Pool, reply: FastifyReply, eventId: string, code: number, why: string) {
  await record(db, eventId, 'FAILURE', why);
  return reply.send({ result: false, message: why, data: { event_id: eventId, error_code: code } });
}

/**
 * `POST /v1/apps/<code>/<test|prod>/releases/` deploys (license check, server choice, envs stored,
 * agent `/v1/app/online`); `DELETE` takes the app offline on every server that hosted it. Both
 * need the app headers and answer `{event_id, error_code}` whose log the agent then fills.
 */
export function releaseRoutes(
  app: FastifyInstance,
  db: Pool,
  mysql: PaasConfig['db'],
  broker: { redis: RedisHandle; cfg: PaasConfig['redis'] },
  license?: LicenseGate,
): void {
  const guard = async (req: FastifyRequest<Params>, reply: FastifyReply) => {
    const { mode } = req.params;
    if (mode !== 'test' && mode !== 'prod') {
      await deny(reply, 404, `expected environment test or prod in the path, got ${JSON.stringify(mode)}`);
      return undefined;
    }
    return guardedApp(req);
  };

  app.post<Params>('/v1/apps/:code/:mode/releases/', async (req, reply) => {
    const a = await guard(req, reply);
    if (!a) return reply;
    const mode = req.params.mode as Mode;
    const body = parseRelease((req.body ?? {}) as Record<string, unknown>);
    if (typeof body === 'string') return deny(reply, 400, body);
    const eventId = await createEvent(db, a.id, `app.${mode}.deploy`);
    const refused = license ? await license() : null;
    if (refused)
      return fail(
        db,
        reply,
        eventId,
        RELEASE_ERROR.license,
        `certificate verification failed, deploy refused: ${refused}`,
      );
    const server = await pickServer(db, a.id, mode);
    if (!server)
      return fail(
        db,
        reply,
        eventId,
        RELEASE_ERROR.failed,
        `no ${mode} server available: register and activate a ${mode} app server first`,
      );
    let saas = body.saas_settings;
    if (body.is_saas && saas.package_id !== undefined) {
      const pkg = await packageRow(db, Number(saas.package_id) || 0);
      if (!pkg || pkg.app_code !== a.app_code)
        return fail(
          db,
          reply,
          eventId,
          RELEASE_ERROR.failed,
          `no S-mart package ${String(saas.package_id)} of ${a.app_code}`,
        );
      saas = { ...saas, url: downloadPath(pkg.id), md5: pkg.md5 };
    }
    let envs: Record<string, string>;
    try {
      envs = { ...body.envs, ...databaseEnvs(mysql, await ensureAppDatabase(db, a.id, a.app_code)) };
    } catch (e) {
      return fail(db, reply, eventId, RELEASE_ERROR.failed, `the app's database: ${(e as Error).message}`);
    }
    try {
      if (body.use_celery) {
        const b = await ensureBroker(db, broker.redis, a.id, a.app_code, mode);
        Object.assign(envs, brokerEnvs(broker.cfg, b, body.triggers.is_use_celery_beat));
      } else await dropBrokers(db, broker.redis, a.id, mode);
    } catch (e) {
      return fail(db, reply, eventId, RELEASE_ERROR.mq, `the Celery broker (Redis): ${(e as Error).message}`);
    }
    await saveEnvs(db, a.id, mode, envs);
    await record(db, eventId, 'PENDING', `deploying ${a.app_code} to ${mode} on ${server.ip_address}`);
    try {
      await callAgent(server, 'POST', '/v1/app/online', {
        app_code: a.app_code,
        event_id: eventId,
        mode,
        envs,
        // S-mart packages declare it in app.yml; otherwise only when the caller does
        app_lang: body.app_lang || (body.is_saas ? a.app_lang : ''),
        triggers: body.triggers,
        deploy_token: body.deploy_token,
        deploy_vars: body.deploy_vars,
        is_saas: body.is_saas,
        saas_settings: saas,
      });
    } catch (e) {
      return fail(
        db,
        reply,
        eventId,
        RELEASE_ERROR.failed,
        `the ${mode} agent refused the job: ${(e as Error).message}`,
      );
    }
    return { result: true, message: '', data: { event_id: eventId, error_code: RELEASE_ERROR.ok } };
  });

  app.delete<Params>('/v1/apps/:code/:mode/releases/', async (req, reply) => {
    const a = await guard(req, reply);
    if (!a) return reply;
    const mode = req.params.mode as Mode;
    const eventId = await createEvent(db, a.id, `app.${mode}.offline`);
    const servers = await hostingServers(db, a.id, mode);
    if (servers.length === 0)
      return fail(db, reply, eventId, RELEASE_ERROR.failed, `${a.app_code} was never deployed to ${mode}`);
    await record(
      db,
      eventId,
      'PENDING',
      `taking ${a.app_code} offline in ${mode} on ${servers.map((s) => s.ip_address).join(', ')}`,
    );
    const errors: string[] = [];
    for (const s of servers) {
      try {
        await callAgent(s, 'POST', '/v1/app/offline', { app_code: a.app_code, event_id: eventId, mode });
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
    if (errors.length === servers.length)
      return fail(db, reply, eventId, RELEASE_ERROR.failed, `offline failed: ${errors.join('; ')}`);
    // the agent stops the workers; their broker account and queued messages go now
    await dropBrokers(db, broker.redis, a.id, mode).catch((e: Error) =>
      errors.push(`the Celery broker: ${e.message}`),
    );
    return {
      result: true,
      message: errors.join('; '),
      data: { event_id: eventId, error_code: RELEASE_ERROR.ok },
    };
  });
}
