import { exec, one, type Pool, rows } from '../../common/db/pool';

/** A developer-center app (paas_app). */
export interface App {
  id: number;
  code: string;
  name: string;
  introduction: string;
  creater: string;
  created_date: Date;
  state: number;
  language: string;
  auth_token: string;
  is_already_test: number;
  is_already_online: number;
}

const COLS =
  'a.id, a.code, a.name, a.introduction, a.creater, a.created_date, a.state, a.language, a.auth_token, a.is_already_test, a.is_already_online';

/** One app by code. */
export function findApp(db: Pool, code: string): Promise<App | undefined> {
  return one<App>(db, `SELECT ${COLS} FROM paas_app a WHERE a.code = ?`, [code]);
}

/** Apps the user created or develops (all apps when `all`), optional keyword. */
export function listApps(db: Pool, o: { username: string; all: boolean; keyword?: string }): Promise<App[]> {
  const where: string[] = [];
  const params: string[] = [];
  if (!o.all) {
    where.push(
      `(a.creater = ? OR a.id IN (SELECT d.app_id FROM paas_app_developer d JOIN account_bkuser u ON u.id = d.bkuser_id WHERE u.username = ?))`,
    );
    params.push(o.username, o.username);
  }
  if (o.keyword) {
    where.push('(a.code LIKE ? OR a.name LIKE ?)');
    const like = `%${o.keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    params.push(like, like);
  }
  return rows<App>(
    db,
    `SELECT ${COLS} FROM paas_app a ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.id DESC`,
    params,
  );
}

/** Online apps for the console launcher. */
export function onlineApps(db: Pool): Promise<App[]> {
  return rows<App>(db, `SELECT ${COLS} FROM paas_app a WHERE a.state = 4 ORDER BY a.name`);
}

/** Usernames of the app's developers. */
export async function developers(db: Pool, appId: number): Promise<string[]> {
  const r = await rows<{ username: string }>(
    db,
    'SELECT u.username FROM paas_app_developer d JOIN account_bkuser u ON u.id = d.bkuser_id WHERE d.app_id = ? ORDER BY u.username',
    [appId],
  );
  return r.map((x) => x.username);
}

/** Replace the developer list (users are added to account_bkuser if missing). */
export async function setDevelopers(db: Pool, appId: number, usernames: readonly string[]): Promise<void> {
  for (const u of usernames) await exec(db, 'INSERT IGNORE INTO account_bkuser (username) VALUES (?)', [u]);
  await exec(db, 'DELETE FROM paas_app_developer WHERE app_id = ?', [appId]);
  if (usernames.length === 0) return;
  await exec(
    db,
    'INSERT INTO paas_app_developer (app_id, bkuser_id) SELECT ?, id FROM account_bkuser WHERE username IN (?)',
    [appId, usernames as string[]],
  );
}

/** May `username` work on the app? Creator, developer or superuser. */
export async function canEdit(db: Pool, app: App, username: string, isSuperuser: boolean): Promise<boolean> {
  return isSuperuser || app.creater === username || (await developers(db, app.id)).includes(username);
}

/** Insert the app with its secret and VCS info; returns the id. */
export async function insertApp(
  db: Pool,
  a: {
    code: string;
    name: string;
    introduction: string;
    creater: string;
    language: string;
    token: string;
    vcsType: number;
    vcsUrl: string;
  },
): Promise<number> {
  const { insertId } = await exec(
    db,
    'INSERT INTO paas_app (code, name, introduction, creater, language, auth_token, state) VALUES (?, ?, ?, ?, ?, ?, 1)',
    [a.code, a.name, a.introduction, a.creater, a.language, a.token],
  );
  await exec(
    db,
    'INSERT INTO paas_app_secureinfo (app_code, vcs_type, vcs_url) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE vcs_url = VALUES(vcs_url)',
    [a.code, a.vcsType, a.vcsUrl],
  );
  return insertId;
}

/** Env vars of an app. */
export interface EnvVar {
  id: number;
  mode: string;
  name: string;
  value: string;
  intro: string | null;
}
export function listEnv(db: Pool, code: string): Promise<EnvVar[]> {
  return rows<EnvVar>(
    db,
    'SELECT id, mode, name, value, intro FROM paas_app_envvars WHERE app_code = ? ORDER BY name, mode',
    [code],
  );
}
