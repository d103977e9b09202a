import { randomUUID } from 'node:crypto';
import { exec, one, type Pool, rows } from '../../common/db/pool';

/** Event statuses (reference §5.1); SUCCESS and FAILURE are final. */
export const STATUSES = ['READY', 'STARTED', 'PENDING', 'SUCCESS', 'FAILURE'] as const;
export type EventStatus = (typeof STATUSES)[number];
export const isFinal = (s: string): boolean => s === 'SUCCESS' || s === 'FAILURE';

/** An event with its joined log. */
export interface EventView {
  status: EventStatus;
  logs: string;
  event_type: string;
  app_code: string;
}

/** Create an event (`app.<mode>.deploy|offline`) in READY; returns its UUID. */
export async function createEvent(db: Pool, appId: number, type: string): Promise<string> {
  const id = randomUUID();
  await exec(db, 'INSERT INTO engine_app_events (id, bk_app_id, event_type, status) VALUES (?, ?, ?, ?)', [
    id,
    appId,
    type,
    'READY',
  ]);
  return id;
}

/**
 * Append a log chunk and set the status, unless the event already finished (then nothing changes
 * and false is returned: a final status is never overwritten).
 */
export async function record(db: Pool, eventId: string, status: EventStatus, log: string): Promise<boolean> {
  const r = await exec(
    db,
    `UPDATE engine_app_events SET status = ? WHERE id = ? AND status NOT IN ('SUCCESS', 'FAILURE')`,
    [status, eventId],
  );
  if (r.affectedRows === 0) return false;
  if (log)
    await exec(db, 'INSERT INTO engine_app_event_logs (bk_app_event_id, log) VALUES (?, ?)', [eventId, log]);
  return true;
}

/** The event of an app with its log chunks joined in order, or undefined. */
export async function readEvent(db: Pool, appId: number, eventId: string): Promise<EventView | undefined> {
  const e = await one<{ status: EventStatus; event_type: string; app_code: string }>(
    db,
    `SELECT e.status, e.event_type, a.app_code FROM engine_app_events e JOIN engine_apps a ON a.id = e.bk_app_id
      WHERE e.id = ? AND e.bk_app_id = ?`,
    [eventId, appId],
  );
  if (!e) return undefined;
  const logs = await rows<{ log: string }>(
    db,
    'SELECT log FROM engine_app_event_logs WHERE bk_app_event_id = ? ORDER BY id',
    [eventId],
  );
  return { ...e, logs: logs.map((l) => (l.log.endsWith('\n') ? l.log : `${l.log}\n`)).join('') };
}

/** The app an event belongs to (for agent posts, which name the app in the path). */
export function eventApp(
  db: Pool,
  eventId: string,
): Promise<{ bk_app_id: number; app_code: string } | undefined> {
  return one(
    db,
    'SELECT e.bk_app_id, a.app_code FROM engine_app_events e JOIN engine_apps a ON a.id = e.bk_app_id WHERE e.id = ?',
    [eventId],
  );
}
