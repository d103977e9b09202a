import { exec, one, type Pool, rows } from '../../common/db/pool';
import { type AppState, interim, nextState, type OfflineMode, OPERATE_ID, type Operation } from './machine';

/** A release record (`paas_release_record`) with its parsed extra data. */
export interface ReleaseRecord {
  id: number;
  app_code: string;
  operate_id: number;
  operate_user: string;
  app_old_state: number;
  operate_time: Date;
  is_success: number;
  is_done: number;
  version: string;
  message: string | null;
  event_id: string | null;
  extra: {
    op: Operation;
    mode: OfflineMode;
    events: { env: 'test' | 'prod'; id: string }[];
    features?: string;
    bugs?: string;
  };
}

type Row = Omit<ReleaseRecord, 'extra'> & { extra_data: string | null };
const parse = (r: Row): ReleaseRecord => ({ ...r, extra: JSON.parse(r.extra_data ?? '{}') });

/**
 * Move the app from `from` to the interim state of `op` (compare-and-set: a concurrent deploy loses)
 * and create the running record. Undefined when the app's state changed meanwhile.
 */
export async function begin(
  db: Pool,
  a: { id: number; code: string } & AppState,
  op: Operation,
  user: string,
  extra: Omit<ReleaseRecord['extra'], 'events' | 'op'>,
): Promise<number | undefined> {
  const r = await exec(db, 'UPDATE paas_app SET state = ? WHERE id = ? AND state = ?', [
    interim(op),
    a.id,
    a.state,
  ]);
  if (r.affectedRows !== 1) return undefined;
  const ins = await exec(
    db,
    'INSERT INTO paas_release_record (app_code, operate_id, operate_user, app_old_state, extra_data) VALUES (?, ?, ?, ?, ?)',
    [a.code, OPERATE_ID.running[op], user, a.state, JSON.stringify({ ...extra, op, events: [] })],
  );
  return ins.insertId;
}

/** Remember the appengine events of a record (the first is also `event_id`). */
export async function attachEvents(
  db: Pool,
  rec: ReleaseRecord,
  events: ReleaseRecord['extra']['events'],
): Promise<void> {
  await exec(db, 'UPDATE paas_release_record SET event_id = ?, extra_data = ? WHERE id = ?', [
    events[0]?.id ?? null,
    JSON.stringify({ ...rec.extra, events }),
    rec.id,
  ]);
}

/** One record of an app by id, or by its (first) event id. */
export async function findRecord(
  db: Pool,
  code: string,
  by: { id?: number; eventId?: string },
): Promise<ReleaseRecord | undefined> {
  const r = await one<Row>(
    db,
    `SELECT * FROM paas_release_record WHERE app_code = ? AND ${by.id !== undefined ? 'id = ?' : 'event_id = ?'}`,
    [code, by.id ?? by.eventId ?? ''],
  );
  return r && parse(r);
}

/** The app's records, newest first. */
export async function history(db: Pool, code: string, limit = 50): Promise<ReleaseRecord[]> {
  return (
    await rows<Row>(db, 'SELECT * FROM paas_release_record WHERE app_code = ? ORDER BY id DESC LIMIT ?', [
      code,
      limit,
    ])
  ).map(parse);
}

/**
 * Finish a record once (later calls change nothing and return false): mark it, then set the app's
 * state and flags per the machine; a production release also gets its version row.
 */
export async function finish(db: Pool, rec: ReleaseRecord, ok: boolean, message: string): Promise<boolean> {
  const done = await exec(
    db,
    'UPDATE paas_release_record SET is_done = 1, is_success = ?, operate_id = ?, message = ? WHERE id = ? AND is_done = 0',
    [ok ? 1 : 0, ok ? OPERATE_ID.done[rec.extra.op] : rec.operate_id, message, rec.id],
  );
  if (done.affectedRows !== 1) return false;
  const app = await one<AppState & { id: number }>(
    db,
    'SELECT id, state, is_already_test, is_already_online FROM paas_app WHERE code = ?',
    [rec.app_code],
  );
  if (!app) return true;
  const next = nextState({ ...app, state: rec.app_old_state }, rec.extra.op, ok, rec.extra.mode);
  await exec(
    db,
    `UPDATE paas_app SET state = ?, is_already_test = ?, is_already_online = ?,
       first_test_time = IF(? AND first_test_time IS NULL, NOW(), first_test_time),
       first_online_time = IF(? AND first_online_time IS NULL, NOW(), first_online_time) WHERE id = ?`,
    [
      next.state,
      next.is_already_test,
      next.is_already_online,
      ok && rec.extra.op === 'test',
      ok && rec.extra.op === 'online',
      app.id,
    ],
  );
  if (ok && rec.extra.op === 'online') {
    const n = await one<{ n: number }>(
      db,
      'SELECT COUNT(*) AS n FROM paas_release_version WHERE app_code = ?',
      [rec.app_code],
    );
    const version = rec.version || `v${(n?.n ?? 0) + 1}`;
    await exec(db, 'UPDATE paas_release_record SET is_version = 1, version = ? WHERE id = ?', [
      version,
      rec.id,
    ]);
    await exec(
      db,
      'INSERT INTO paas_release_version (app_code, version, operate_user, features, bugs, release_record_id) VALUES (?, ?, ?, ?, ?, ?)',
      [rec.app_code, version, rec.operate_user, rec.extra.features ?? '', rec.extra.bugs ?? '', rec.id],
    );
  }
  return true;
}
