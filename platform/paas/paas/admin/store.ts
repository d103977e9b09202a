import { exec, one, type Pool, rows } from '../../common/db/pool';

export const SKIP_USER_AUTH = 'user_auth::skip_user_auth';

/** The skip-user-auth whitelist row. */
export interface Whitelist {
  switch_status: number;
  wlist: string;
}

/** Read the whitelist row (created by migration 0003 / the ESB sync). */
export async function getWhitelist(db: Pool): Promise<Whitelist> {
  return (
    (await one<Whitelist>(
      db,
      'SELECT switch_status, COALESCE(wlist, "") AS wlist FROM esb_function_controller WHERE func_code = ?',
      [SKIP_USER_AUTH],
    )) ?? {
      switch_status: 0,
      wlist: '',
    }
  );
}

/** Save the whitelist (insert the row if an operator deleted it). */
export async function saveWhitelist(db: Pool, w: Whitelist): Promise<void> {
  await exec(
    db,
    `INSERT INTO esb_function_controller (func_code, func_name, switch_status, wlist) VALUES (?, 'APP skips user authentication', ?, ?)
     ON DUPLICATE KEY UPDATE switch_status = VALUES(switch_status), wlist = VALUES(wlist)`,
    [SKIP_USER_AUTH, w.switch_status, w.wlist],
  );
}

/** An ESB app account (platform/system apps outside the developer center). */
export interface AppAccount {
  id: number;
  app_code: string;
  app_token: string;
  introduction: string | null;
  created_time: Date;
}
export function listAccounts(db: Pool): Promise<AppAccount[]> {
  return rows<AppAccount>(
    db,
    'SELECT id, app_code, app_token, introduction, created_time FROM esb_app_account ORDER BY app_code',
  );
}

/** Append an audit line: who did what to which target. */
export async function audit(
  db: Pool,
  operator: string,
  action: string,
  target: string,
  detail: string,
): Promise<void> {
  await exec(db, 'INSERT INTO paas_audit_log (operator, action, target, detail) VALUES (?, ?, ?, ?)', [
    operator,
    action,
    target,
    detail,
  ]);
}

/** The latest audit lines. */
export function recentAudit(db: Pool, limit = 20) {
  return rows<{ operator: string; action: string; target: string; detail: string; created_time: Date }>(
    db,
    'SELECT operator, action, target, detail, created_time FROM paas_audit_log ORDER BY id DESC LIMIT ?',
    [limit],
  );
}
