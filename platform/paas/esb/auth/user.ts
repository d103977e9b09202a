import { TtlCache } from '../cache/ttl';
import { CODE, EsbError } from '../codes';
import type { PlatformClient } from '../forward/platform';
import { M } from '../i18n/messages';
import type { Credentials } from '../params/params';
import type { Whitelist, Whitelists } from './whitelist';

/**
 * Who is calling: a `bk_token` checked through login (valid answers cached briefly), else a
 * `bk_username` when the app is on the switched-on skip-user-auth whitelist.
 */
export class UserAuth {
  private readonly tokens: TtlCache<string>;

  constructor(
    private readonly lists: Whitelists,
    private readonly login: PlatformClient,
    cacheMs: number,
  ) {
    this.tokens = new TtlCache(cacheMs);
  }

  /**
   * The username (synchronously when the bk_token answer or the whitelist is cached, else a
   * promise), or an EsbError thrown/rejected saying what is missing or wrong.
   */
  verify(appCode: string, creds: Credentials): string | Promise<string> {
    if (creds.bkToken) return this.tokens.peek(creds.bkToken) ?? this.askLogin(creds.bkToken);
    if (creds.username) {
      const wl = this.lists.peek();
      if (wl) return whitelisted(wl, appCode, creds.username);
      return this.lists.get().then((w) => whitelisted(w, appCode, creds.username));
    }
    throw new EsbError(CODE.COMMON, M.noUser());
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
      throw new EsbError(CODE.COMMON, M.loginDown((e as Error).message));
    }
    if (!name) throw new EsbError(CODE.COMMON, M.tokenBad());
    return name;
  }
}

/** `username` when `appCode` is on the switched-on whitelist, else the 1306000 error. */
function whitelisted(wl: Whitelist, appCode: string, username: string): string {
  if (wl.on && wl.codes.has(appCode)) return username;
  throw new EsbError(CODE.COMMON, M.notWhitelisted(appCode));
}
