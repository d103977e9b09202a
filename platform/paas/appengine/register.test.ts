import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../../test/support/http';
import { type PaasDeps, startPaasDeps } from '../../../test/support/paas';
import { buildAppengineApp } from './app';

let deps: PaasDeps;
let app: FastifyInstance;
let c: Client;
let h: Record<string, string>;
beforeAll(async () => {
  deps = await startPaasDeps();
  app = buildAppengineApp({ config: deps.config, db: deps.db, log: false });
  c = new Client(await app.listen({ host: '127.0.0.1', port: 0 }));
  h = { 'x-app-code': 'bk_paas', 'x-app-token': deps.config.secrets.ESB_TOKEN };
});
afterAll(async () => {
  await app?.close();
  await deps?.stop();
});

describe('appengine registration', () => {
  it('creates the app and its UUID token once; re-registering returns the same token', async () => {
    const r = await c.req('/v1/apps/', {
      json: { app_code: 'demo-app', name: 'Demo', app_lang: 'python' },
      headers: h,
    });
    expect(r.status).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({
      result: true,
      message: '',
      data: {
        app_code: 'demo-app',
        name: 'Demo',
        app_lang: 'python',
        app_type: 'django',
        is_active: true,
        app_envs: {},
      },
    });
    expect(body.data.token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const again = (
      await c.req('/v1/apps/', {
        json: { app_code: 'demo-app', name: 'Demo 2', app_lang: 'python' },
        headers: h,
      })
    ).json();
    expect(again.data.token).toBe(body.data.token);
    expect(again.data.name).toBe('Demo 2');
    const many = await Promise.all(
      [1, 2, 3, 4].map(() => c.req('/v1/apps/', { json: { app_code: 'race', name: 'Race' }, headers: h })),
    );
    expect(new Set(many.map((m) => m.json().data.token)).size).toBe(1);
  });

  it('refuses callers without the platform token, and bad fields', async () => {
    expect((await c.req('/v1/apps/', { json: { app_code: 'x1', name: 'X' } })).status).toBe(403);
    const wrong = { ...h, 'x-app-token': 'nope' };
    expect((await c.req('/v1/apps/', { json: { app_code: 'x1', name: 'X' }, headers: wrong })).status).toBe(
      403,
    );
    const bad = await c.req('/v1/apps/', { json: { app_code: 'Bad Code', name: 'X' }, headers: h });
    expect(bad.status).toBe(400);
    expect(bad.json().message).toMatch(/^app_code: expected/);
    expect(
      (await c.req('/v1/apps/', { json: { app_code: 'ok1', name: 'x'.repeat(21) }, headers: h })).json()
        .message,
    ).toMatch(/^name/);
  });

  it('has a health check of its database and active agents', async () => {
    expect((await c.req('/v1/healthz/')).json()).toEqual({
      result: true,
      bk_error_code: 0,
      bk_error_msg: 'OK',
      data: { settings: 'ok', database: 'ok', agents: 'ok' },
    });
  });
});
