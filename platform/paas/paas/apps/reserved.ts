// App codes a developer may not take: a code is an identity at ESB, and the platform's own codes,
// the skip-user-auth whitelist and `esb_app_account` codes carry powers (acting as any user).
import { one, type Pool, rows } from '../../common/db/pool';
import { SKIP_USER_AUTH } from '../admin/store';

/**
 * The platform's own codes and programs (also with "-", as developer codes are spelled), and the
 * whitelist codes the ESB sync adds (reserved.test.ts keeps this in step with esb/sync/source.ts
 * and src/modules/paas/tokens.ts).
 */
export const RESERVED_APP_CODES: readonly string[] = [
  ...['bk_paas', 'bk_console', 'bk_cmdb', 'bk_job', 'bk_monitor', 'bk_login', 'bk_esb', 'bk_appengine'],
  ...['bk_paas_log_alert', 'bk_cdman', 'bk_fta_solutions', 'fta_solutions', 'gcloud'],
  ...['paas', 'esb', 'login', 'appengine', 'console', 'admin', 'api', 'static', 'platform', 'license'],
].flatMap((c) => (c.includes('_') ? [c, c.replace(/_/g, '-')] : [c]));

/** True when `code` is reserved, whitelisted to skip user auth, or an ESB app account. */
export async function isReservedCode(db: Pool, code: string): Promise<boolean> {
  const c = code.toLowerCase();
  if (RESERVED_APP_CODES.includes(c)) return true;
  const wl = await one<{ wlist: string | null }>(
    db,
    'SELECT wlist FROM esb_function_controller WHERE func_code = ?',
    [SKIP_USER_AUTH],
  );
  const listed = (wl?.wlist ?? '').split(/[,;\s]+/).map((s) => s.toLowerCase());
  if (listed.includes(c)) return true;
  const accounts = await rows<{ app_code: string }>(
    db,
    'SELECT app_code FROM esb_app_account WHERE LOWER(app_code) = ?',
    [c],
  );
  return accounts.length > 0;
}
