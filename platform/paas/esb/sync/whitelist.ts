import type { PoolConnection } from 'mysql2/promise';
import { parseWlist, SKIP_USER_AUTH } from '../auth/whitelist';
import { q, x } from './store';

/**
 * Make sure the skip-user-auth row exists and holds `codes` (merged, order kept, switch untouched);
 * returns the codes it added.
 */
export async function mergeWhitelist(conn: PoolConnection, codes: readonly string[]): Promise<string[]> {
  await x(
    conn,
    `INSERT IGNORE INTO esb_function_controller (func_code, func_name, switch_status, wlist, func_desc)
     VALUES (?, 'APP skips user authentication', 1, '', 'Apps listed here may call ESB with bk_username instead of a bk_token')`,
    [SKIP_USER_AUTH],
  );
  await conn.beginTransaction();
  try {
    const [row] = await q<{ wlist: string | null }>(
      conn,
      'SELECT wlist FROM esb_function_controller WHERE func_code = ? FOR UPDATE',
      [SKIP_USER_AUTH],
    );
    const have = parseWlist(row?.wlist);
    const added = codes.filter((c) => !have.includes(c));
    if (added.length > 0)
      await x(conn, 'UPDATE esb_function_controller SET wlist = ? WHERE func_code = ?', [
        [...have, ...added].join(','),
        SKIP_USER_AUTH,
      ]);
    await conn.commit();
    return added;
  } catch (e) {
    await conn.rollback();
    throw e;
  }
}
