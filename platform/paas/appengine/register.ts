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

/** A new random secret for the app: the old one stops working for the platform at once. */
export async function rotateToken(db: Pool, appId: number): Promise<void> {
  await exec(
    db,
    'INSERT INTO engine_app_tokens (bk_app_id, `key`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `key` = VALUES(`key`)',
    [appId, randomUUID().replace(/-/g, '')],
  );
}

/**
 * Upsert `engine_apps`, create the token once (race-safe), return the app with its token.
 * `newSecret` replaces any token left from an app of the same code that was deleted, so a
 * code's next owner never inherits the secret of the last one.
 */
export async function registerApp(
  db: Pool,
  a: { app_code: string; name: string; app_lang: string; newSecret?: boolean },
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
  if (a.newSecret) await rotateToken(db, app.id);
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
 * `POST /v1/apps/` JSON `{app_code, name, app_lang, new_secret?}` → `{result, message, data: EngineApp}`.
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
    const newSecret = b.new_secret === true;
    return {
      result: true,
      message: '',
      data: await registerApp(db, { app_code, name, app_lang, newSecret }),
    };
  });

  // `POST /v1/apps/<code>/secret/`: a new secret, asked by paas for a developer (guard `platform`)
  app.post<{ Params: { code: string } }>('/v1/apps/:code/secret/', async (req, reply) => {
    const row = await one<{ id: number; name: string; app_lang: string }>(
      db,
      'SELECT id, name, app_lang FROM engine_apps WHERE app_code = ?',
      [req.params.code],
    );
    if (!row)
      return reply.code(404).send({ result: false, message: `no app ${req.params.code}`, data: null });
    await rotateToken(db, row.id);
    const data = await registerApp(db, { app_code: req.params.code, name: row.name, app_lang: row.app_lang });
    return { result: true, message: '', data };
  });
}
