import { randomBytes } from 'node:crypto';
import { nativePasswordHash, PROVISION_DB } from '../../../../lib/mysql/provision';
import type { PaasConfig } from '../../common/config/config';
import { exec, one, type Pool } from '../../common/db/pool';

/** An app's own database and account on the platform's MySQL. */
export interface AppDatabase {
  name: string;
  user: string;
  password: string;
}

/** Apps' schemas are `bkapp_<code>`: the platform's MySQL account may make only these (mysql/grants.ts). */
const APP_SCHEMA_PREFIX = 'bkapp_';

/** Schemas an app code may never be given (the platform's own and MySQL's). */
const RESERVED = new Set(['open_paas', 'mysql', 'information_schema', 'performance_schema', 'sys', 'test']);

/**
 * The app's database, made once on its first deploy by appengine (which runs on a paas host with
 * the platform's MySQL account; agent hosts need no MySQL rights): the schema is named after the
 * code as the legacy did (an existing one, e.g. from a legacy install, is adopted), the account
 * `app_<code>` is new with a random password and rights on that schema only. Kept across
 * redeploys; `dropAppDatabase` removes both when the app is deleted.
 */
export async function ensureAppDatabase(db: Pool, appId: number, code: string): Promise<AppDatabase> {
  const had = await one<{ db_name: string; db_user: string; db_password: string }>(
    db,
    'SELECT db_name, db_user, db_password FROM engine_app_databases WHERE bk_app_id = ?',
    [appId],
  );
  if (had) return { name: had.db_name, user: had.db_user, password: had.db_password };
  if (RESERVED.has(code) || !/^[a-z][a-z0-9_-]{0,29}$/.test(code))
    throw new Error(`app code ${code} cannot have a database of that name on the platform's MySQL`);
  const user = `app_${code}`;
  const name = `${APP_SCHEMA_PREFIX}${code}`;
  const password = randomBytes(18).toString('base64url');
  try {
    // root's procedure makes account, schema and grant: appengine holds no CREATE USER or GRANT
    // OPTION (src/modules/mysql/grants.ts); only the password's hash crosses
    await exec(db, `CALL \`${PROVISION_DB}\`.create_app_db(?, ?)`, [code, nativePasswordHash(password)]);
  } catch (e) {
    // ER_CANNOT_USER: the account exists, and appengine has no record of making it.
    if ((e as { errno?: number }).errno === 1396)
      throw new Error(`a MySQL account ${user} exists that appengine did not make: refusing to take it over`);
    throw e;
  }
  await exec(
    db,
    'INSERT INTO engine_app_databases (bk_app_id, db_name, db_user, db_password) VALUES (?, ?, ?, ?)',
    [appId, name, user, password],
  );
  return { name, user, password };
}

/** The variables blueapps and legacy apps read for their database (DB_* of the legacy, MYSQL_* of blueapps). */
export function databaseEnvs(cfg: PaasConfig['db'], d: AppDatabase): Record<string, string> {
  const port = String(cfg.port);
  return {
    DB_TYPE: 'mysql',
    DB_HOST: cfg.host,
    DB_PORT: port,
    DB_NAME: d.name,
    DB_USERNAME: d.user,
    DB_PASSWORD: d.password,
    MYSQL_HOST: cfg.host,
    MYSQL_PORT: port,
    MYSQL_NAME: d.name,
    MYSQL_USER: d.user,
    MYSQL_PASSWORD: d.password,
  };
}

/** Drop the app's database and account (app deleted); true when there was one. */
export async function dropAppDatabase(db: Pool, appId: number): Promise<boolean> {
  const had = await one<{ db_name: string; db_user: string }>(
    db,
    'SELECT db_name, db_user FROM engine_app_databases WHERE bk_app_id = ?',
    [appId],
  );
  if (!had) return false;
  if (had.db_name !== `${APP_SCHEMA_PREFIX}${had.db_user.replace(/^app_/, '')}`)
    throw new Error(`expected app database ${had.db_name} to belong to account ${had.db_user}`);
  await exec(db, `CALL \`${PROVISION_DB}\`.drop_app_db(?)`, [had.db_name.slice(APP_SCHEMA_PREFIX.length)]);
  await exec(db, 'DELETE FROM engine_app_databases WHERE bk_app_id = ?', [appId]);
  return true;
}
