import { one, type Pool } from '../../common/db/pool';
import { TtlCache } from '../cache/ttl';
import { CODE, EsbError } from '../codes';
import type { PlatformClient } from '../forward/platform';
import type { Credentials } from '../params/params';

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

/**
 * Who is calling: a `bk_token` checked through login (valid answers cached briefly), else a
 * `bk_username` when the app is on the switched-on skip-user-auth whitelist.
 */
export class UserAuth {
  private readonly tokens: TtlCache<string>;
  private readonly lists: TtlCache<Whitelist>;

  constructor(
    private readonly db: Pool,
    private readonly login: PlatformClient,
    cacheMs: number,
  ) {
    this.tokens = new TtlCache(cacheMs);
    this.lists = new TtlCache(cacheMs, 1);
  }

  /** The skip-user-auth whitelist (cached). */
  whitelist(): Promise<Whitelist> {
    return this.lists.get('wl', async () => {
      const row = await one<{ switch_status: number; wlist: string | null }>(
        this.db,
        'SELECT switch_status, wlist FROM esb_function_controller WHERE func_code = ?',
        [SKIP_USER_AUTH],
      );
      return { on: row?.switch_status === 1, codes: new Set(parseWlist(row?.wlist)) };
    });
  }

  /**
   * The username (synchronously when the bk_token answer or the whitelist is cached, else a
   * promise), or an EsbError thrown/rejected saying what is missing or wrong.
   */
  verify(appCode: string, creds: Credentials): string | Promise<string> {
    if (creds.bkToken) return this.tokens.peek(creds.bkToken) ?? this.askLogin(creds.bkToken);
    if (creds.username) {
      const wl = this.lists.peek('wl');
      if (wl) return whitelisted(wl, appCode, creds.username);
      return this.whitelist().then((w) => whitelisted(w, appCode, creds.username));
    }
    throw new EsbError(
      CODE.COMMON,
      'User authentication failed, please provide a valid user identity, such as bk_token, bk_username',
    );
  }

  private async askLogin(bkToken: string): Promise<string> {
    let name: string;
    try {
      name = await this.tokens.get(
        bkToken,
        async () => (await this.login.usernameOf(bkToken)) ?? '',
        (v) => v !== '',
      );
    } catch (e) {
      throw new EsbError(
        CODE.COMMON,
        `User authentication failed: the login service did not answer (${(e as Error).message})`,
      );
    }
    if (!name)
      throw new EsbError(CODE.COMMON, 'User authentication failed, please check if the bk_token is valid');
    return name;
  }
}

/** `username` when `appCode` is on the switched-on whitelist, else the 1306000 error. */
function whitelisted(wl: Whitelist, appCode: string, username: string): string {
  if (wl.on && wl.codes.has(appCode)) return username;
  throw new EsbError(
    CODE.COMMON,
    `User authentication failed: APP [${appCode}] is not on the skip-user-auth whitelist, so bk_username is not accepted; please provide a valid bk_token`,
  );
}
