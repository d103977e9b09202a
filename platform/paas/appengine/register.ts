import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { exec, one, type Pool } from '../common/db/pool';

/** The app as appengine answers it; `token` is the app secret (36-char dashed UUID). */
export interface EngineApp {
  id: number;
  app_code: string;
  name: string;
  app_lang: string;
  app_type: string;
  is_active: boolean;
  token: string;
  app_envs: Record<string, Record<string, string>>;
}

/** UUID hex (char(32) in the table) → dashed form shown to users. */
export function dashed(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Upsert `engine_apps`, create the token once (race-safe), return the app with its token. */
export async function registerApp(
  db: Pool,
  a: { app_code: string; name: string; app_lang: string },
): Promise<EngineApp> {
  await exec(
    db,
    `INSERT INTO engine_apps (app_code, name, app_lang) VALUES (?, ?, ?)
     ON DUPLICATE KEY UPDATE name = VALUES(name), app_lang = VALUES(app_lang)`,
    [a.app_code, a.name, a.app_lang],
  );
  const app = await one<{ id: number; app_type: string; is_active: number }>(
    db,
    'SELECT id, app_type, is_active FROM engine_apps WHERE app_code = ?',
    [a.app_code],
  );
  if (!app) throw new Error(`engine_apps row for ${a.app_code} vanished after the upsert`);
  await exec(db, 'INSERT IGNORE INTO engine_app_tokens (bk_app_id, `key`) VALUES (?, ?)', [
    app.id,
    randomUUID().replace(/-/g, ''),
  ]);
  const tok = await one<{ key: string }>(db, 'SELECT `key` FROM engine_app_tokens WHERE bk_app_id = ?', [
    app.id,
  ]);
  return {
    id: app.id,
    app_code: a.app_code,
    name: a.name,
    app_lang: a.app_lang,
    app_type: app.app_type,
    is_active: app.is_active === 1,
    token: dashed(tok!.key),
    app_envs: {},
  };
}

const CODE = /^[a-z][a-z0-9_-]{0,29}$/;

/**
 * `POST /v1/apps/` JSON `{app_code, name, app_lang}` → `{result, message, data: EngineApp}`.
 * Unlike the original it needs the platform headers `X-APP-CODE: bk_paas` and
 * `X-APP-TOKEN: <ESB_TOKEN>`: an open endpoint would hand any app's secret to anyone.
 */
export function registerRoutes(app: FastifyInstance, db: Pool): void {
  // guard `platform` (auth.ts)
  app.post('/v1/apps/', async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const app_code = typeof b.app_code === 'string' ? b.app_code : '';
    const name = typeof b.name === 'string' ? b.name.trim() : '';
    const app_lang = typeof b.app_lang === 'string' && b.app_lang ? b.app_lang : 'python';
    const bad = !CODE.test(app_code)
      ? `app_code: expected 1–30 lower-case letters, digits, "-" or "_" starting with a letter, got ${JSON.stringify(app_code)}`
      : name.length < 1 || name.length > 20
        ? `name: expected 1–20 characters, got ${name.length}`
        : app_lang.length > 50
          ? 'app_lang: expected at most 50 characters'
          : null;
    if (bad) return reply.code(400).send({ result: false, message: bad, data: null });
    return { result: true, message: '', data: await registerApp(db, { app_code, name, app_lang }) };
  });
}
