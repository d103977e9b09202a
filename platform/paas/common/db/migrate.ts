import mysql, { type Pool, type PoolConnection, type RowDataPacket } from 'mysql2/promise';
import type { PaasConfig } from '../config/config';

/** One ordered schema change: `statements` run in order, each ideally idempotent. */
export interface Migration {
  id: number;
  name: string;
  statements: readonly string[];
}

const LOCK = 'bkcec_open_paas_migrate';
const TRACKING = `CREATE TABLE IF NOT EXISTS bkcec_migrations (
  id INT NOT NULL PRIMARY KEY, name VARCHAR(128) NOT NULL, applied_at DATETIME NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;

/** Check ids are unique and increasing, so the order is the id order. */
export function checkOrder(list: readonly Migration[]): void {
  for (let i = 1; i < list.length; i++) {
    if (list[i]!.id <= list[i - 1]!.id)
      throw new Error(`migration ${list[i]!.id}_${list[i]!.name} must have an id above ${list[i - 1]!.id}`);
  }
}

/** Create the database if missing (utf8mb4), connecting without selecting a database. */
export async function ensureDatabase(cfg: PaasConfig['db']): Promise<void> {
  const conn = await mysql.createConnection({
    host: cfg.host,
    port: cfg.port,
    user: cfg.user,
    password: cfg.password,
    connectTimeout: 5_000,
  });
  try {
    await conn.query(
      `CREATE DATABASE IF NOT EXISTS \`${cfg.database}\` DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await conn.end();
  }
}

/**
 * Apply the migrations not yet recorded in `bkcec_migrations`. A MySQL named lock makes concurrent
 * runs (several hosts) wait for each other, so each migration is applied exactly once.
 */
export async function migrate(db: Pool, list: readonly Migration[], lockWaitSec = 120): Promise<string[]> {
  checkOrder(list);
  const conn = await db.getConnection();
  try {
    const [lock] = await conn.query<RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS ok', [LOCK, lockWaitSec]);
    if (lock[0]?.ok !== 1)
      throw new Error(
        `could not take the migration lock ${LOCK} within ${lockWaitSec}s (another host migrating?)`,
      );
    try {
      return await applyPending(conn, list);
    } finally {
      await conn.query('SELECT RELEASE_LOCK(?)', [LOCK]);
    }
  } finally {
    conn.release();
  }
}

async function applyPending(conn: PoolConnection, list: readonly Migration[]): Promise<string[]> {
  await conn.query(TRACKING);
  const [done] = await conn.query<RowDataPacket[]>('SELECT id FROM bkcec_migrations');
  const applied = new Set(done.map((r) => r.id as number));
  const names: string[] = [];
  for (const m of list) {
    if (applied.has(m.id)) continue;
    for (const sql of m.statements) {
      try {
        await conn.query(sql);
      } catch (e) {
        throw new Error(
          `migration ${m.id}_${m.name} failed on: ${sql.slice(0, 120)}…: ${(e as Error).message}`,
        );
      }
    }
    await conn.query('INSERT INTO bkcec_migrations (id, name, applied_at) VALUES (?, ?, NOW())', [
      m.id,
      m.name,
    ]);
    names.push(`${m.id}_${m.name}`);
  }
  return names;
}
