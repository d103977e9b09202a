import type { PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { SqlParam } from '../../common/db/pool';

/** SELECT on one connection (sync holds a named lock on it). */
export async function q<T>(
  conn: PoolConnection,
  sql: string,
  params: readonly SqlParam[] = [],
): Promise<T[]> {
  const [r] = await conn.query<RowDataPacket[]>(sql, params as SqlParam[]);
  return r as unknown as T[];
}

/** INSERT/UPDATE on one connection; the insert id. */
export async function x(
  conn: PoolConnection,
  sql: string,
  params: readonly SqlParam[] = [],
): Promise<number> {
  const [r] = await conn.query<ResultSetHeader>(sql, params as SqlParam[]);
  return r.insertId;
}
