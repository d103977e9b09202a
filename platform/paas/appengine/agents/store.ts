import { randomUUID } from 'node:crypto';
import { exec, one, type Pool, rows } from '../../common/db/pool';
import type { ServerRow } from '../auth';

/** Environment name ↔ server category (reference §5.1). */
export const CATEGORY = { test: 'tapp', prod: 'app' } as const;
export type Mode = keyof typeof CATEGORY;

/** A server registration as the API accepts it. */
export interface NewServer {
  ip: string;
  agentPort: number;
  webPort: number;
  category: 'tapp' | 'app';
  name: string;
  /** Given by the installer so a re-run keeps the credentials in the agent config; else generated. */
  sid?: string;
  token?: string;
}

/** Insert (or, for a known `sid`, update) a server; it starts inactive. Returns the row. */
export async function upsertServer(db: Pool, s: NewServer): Promise<ServerRow> {
  const sid = s.sid ?? randomUUID();
  const token = s.token ?? randomUUID();
  await exec(
    db,
    `INSERT INTO engine_servers (name, s_id, token, ip_address, ip_port, app_port, category) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON DUPLICATE KEY UPDATE name = VALUES(name), token = VALUES(token), ip_address = VALUES(ip_address),
       ip_port = VALUES(ip_port), app_port = VALUES(app_port),
       is_active = IF(category = VALUES(category), is_active, 0), category = VALUES(category)`,
    [s.name, sid, token, s.ip, s.agentPort, s.webPort, s.category],
  );
  return (await findServer(db, sid))!;
}

/** A server by numeric id, `s_id` or IP address (the original accepted both of the latter). */
export function findServer(db: Pool, key: string): Promise<ServerRow | undefined> {
  return one<ServerRow>(
    db,
    'SELECT * FROM engine_servers WHERE s_id = ? OR ip_address = ? OR id = ? ORDER BY is_active DESC, id DESC LIMIT 1',
    [key, key, /^\d+$/.test(key) ? Number(key) : -1],
  );
}

/** Every server, newest first. */
export function listServers(db: Pool): Promise<ServerRow[]> {
  return rows<ServerRow>(db, 'SELECT * FROM engine_servers ORDER BY category, id DESC');
}

/** Make `s` the only active server of its category, in one statement (no window with two). */
export async function activate(db: Pool, s: ServerRow, mac: string): Promise<void> {
  await exec(
    db,
    'UPDATE engine_servers SET is_active = (id = ?), mac = IF(id = ?, ?, mac) WHERE category = ?',
    [s.id, s.id, mac, s.category],
  );
}

/** The active server of a category. */
export function activeServer(db: Pool, category: 'tapp' | 'app'): Promise<ServerRow | undefined> {
  return one<ServerRow>(db, 'SELECT * FROM engine_servers WHERE category = ? AND is_active = 1 LIMIT 1', [
    category,
  ]);
}

/** Every active server (for `/v1/healthz/`). */
export function activeServers(db: Pool): Promise<ServerRow[]> {
  return rows<ServerRow>(db, 'SELECT * FROM engine_servers WHERE is_active = 1');
}
