import { one, type Pool } from '../../common/db/pool';
import { TtlCache } from '../cache/ttl';

/** `func_code` of the skip-user-auth whitelist row in `esb_function_controller`. */
export const SKIP_USER_AUTH = 'user_auth::skip_user_auth';

/** The whitelist as ESB uses it. */
export interface Whitelist {
  on: boolean;
  codes: Set<string>;
}

/** Split a `wlist` text (codes separated by `,` or `;`, spaces ignored). */
export function parseWlist(text: string | null | undefined): string[] {
  return (text ?? '')
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The skip-user-auth whitelist row, cached for a few seconds. */
export class Whitelists {
  private readonly cache: TtlCache<Whitelist>;

  constructor(
    private readonly db: Pool,
    cacheMs: number,
  ) {
    this.cache = new TtlCache(cacheMs, 1);
  }

  /** The cached whitelist, if any. */
  peek(): Whitelist | undefined {
    return this.cache.peek('wl');
  }

  get(): Promise<Whitelist> {
    return this.cache.get('wl', async () => {
      const row = await one<{ switch_status: number; wlist: string | null }>(
        this.db,
        'SELECT switch_status, wlist FROM esb_function_controller WHERE func_code = ?',
        [SKIP_USER_AUTH],
      );
      return { on: row?.switch_status === 1, codes: new Set(parseWlist(row?.wlist)) };
    });
  }
}
