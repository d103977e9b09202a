import mysql, { type Pool, type PoolOptions, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import type { PaasConfig } from '../config/config';

export type { Pool } from 'mysql2/promise';
/** A value bound to a `?` placeholder. */
export type SqlParam = string | number | boolean | Date | Buffer | null | readonly SqlParam[];

/** Open the shared `open_paas` pool (utf8mb4, dates as strings-free JS Dates, bounded size). */
export function openDb(cfg: PaasConfig['db'], extra: Partial<PoolOptions> = {}): Pool {
  return mysql.createPool({
    host: cfg.host,
    port: cfg.port,
    user: cfg.user,
    password: cfg.password,
    database: cfg.database,
    charset: 'utf8mb4_unicode_ci',
    connectionLimit: 10,
    maxIdle: 10,
    idleTimeout: 60_000,
    connectTimeout: 5_000,
    enableKeepAlive: true,
    ...extra,
  });
}

/** Rows of a SELECT as plain objects. */
export async function rows<T>(db: Pool, sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
  const [r] = await db.query<RowDataPacket[]>(sql, params as SqlParam[]);
  return r as unknown as T[];
}

/** The first row of a SELECT, or undefined. */
export async function one<T>(
  db: Pool,
  sql: string,
  params: readonly SqlParam[] = [],
): Promise<T | undefined> {
  return (await rows<T>(db, sql, params))[0];
}

/** Run INSERT/UPDATE/DELETE; returns affectedRows and insertId. */
export async function exec(
  db: Pool,
  sql: string,
  params: readonly SqlParam[] = [],
): Promise<{ affectedRows: number; insertId: number }> {
  const [r] = await db.query<ResultSetHeader>(sql, params as SqlParam[]);
  return { affectedRows: r.affectedRows, insertId: r.insertId };
}

/** True when a mysql2 error is a duplicate-key violation. */
export function isDuplicate(e: unknown): boolean {
  return (e as { code?: string }).code === 'ER_DUP_ENTRY';
}
