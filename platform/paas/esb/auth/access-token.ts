import { one, type Pool } from '../../common/db/pool';
import { CODE, EsbError } from '../codes';
import { M } from '../i18n/messages';

/** An access token's app and user. */
export interface TokenOwner {
  app: string;
  user: string;
}

/**
 * `access_token` (current SDK) / `bk_access_token` (legacy): a row of `esb_user_auth_token` that
 * names both the app and the user, valid until 300 s before it expires (reference §4.4).
 */
export class AccessTokens {
  constructor(private readonly db: Pool) {}

  /** The token's owner; `appCode`, when given, must be the token's app. */
  async verify(token: string, appCode: string): Promise<TokenOwner> {
    if (token.length > 128) throw new EsbError(CODE.COMMON, M.accessTokenBad());
    const row = await one<{ app_code: string; username: string }>(
      this.db,
      `SELECT app_code, username FROM esb_user_auth_token
       WHERE auth_token = ? AND expires > NOW() + INTERVAL 300 SECOND`,
      [token],
    );
    if (!row || (appCode !== '' && appCode !== row.app_code))
      throw new EsbError(CODE.COMMON, M.accessTokenBad());
    return { app: row.app_code, user: row.username };
  }
}
