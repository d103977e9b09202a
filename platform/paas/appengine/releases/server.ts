import { exec, one, type Pool, rows } from '../../common/db/pool';
import { activeServer, CATEGORY, type Mode } from '../agents/store';
import type { ServerRow } from '../auth';

/**
 * The server that hosts the app in `mode`: the one it is linked to when that one is active, else
 * the single active server of the category, which the app is then linked to. Undefined when none.
 */
export async function pickServer(db: Pool, appId: number, mode: Mode): Promise<ServerRow | undefined> {
  const linked = await one<ServerRow>(
    db,
    `SELECT s.* FROM engine_servers s JOIN engine_hosting_ships h ON h.bk_server_id = s.id
      WHERE h.bk_app_id = ? AND s.category = ? AND s.is_active = 1 LIMIT 1`,
    [appId, CATEGORY[mode]],
  );
  if (linked) return linked;
  const s = await activeServer(db, CATEGORY[mode]);
  if (!s) return undefined;
  await exec(db, 'INSERT IGNORE INTO engine_hosting_ships (bk_app_id, bk_server_id) VALUES (?, ?)', [
    appId,
    s.id,
  ]);
  return s;
}

/** Every server the app was deployed to in `mode` (offline goes to all of them). */
export function hostingServers(db: Pool, appId: number, mode: Mode): Promise<ServerRow[]> {
  return rows<ServerRow>(
    db,
    `SELECT s.* FROM engine_servers s JOIN engine_hosting_ships h ON h.bk_server_id = s.id
      WHERE h.bk_app_id = ? AND s.category = ? ORDER BY s.id`,
    [appId, CATEGORY[mode]],
  );
}

/** Replace the app's stored envs of `mode`. */
export async function saveEnvs(
  db: Pool,
  appId: number,
  mode: Mode,
  envs: Record<string, string>,
): Promise<void> {
  await exec(db, 'DELETE FROM engine_app_envs WHERE bk_app_id = ? AND mode = ?', [appId, mode]);
  const list = Object.entries(envs);
  if (list.length === 0) return;
  await exec(db, 'INSERT INTO engine_app_envs (bk_app_id, mode, `key`, value) VALUES ?', [
    list.map(([k, v]) => [appId, mode, k, v]),
  ]);
}

/** Stored envs by mode, for `GET /v1/apps/<code>/`. */
export async function loadEnvs(db: Pool, appId: number): Promise<Record<string, Record<string, string>>> {
  const out: Record<string, Record<string, string>> = {};
  for (const r of await rows<{ mode: string; key: string; value: string }>(
    db,
    'SELECT mode, `key`, value FROM engine_app_envs WHERE bk_app_id = ? ORDER BY `key`',
    [appId],
  )) {
    out[r.mode] ??= {};
    out[r.mode]![r.key] = r.value;
  }
  return out;
}
