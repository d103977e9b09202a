import { hash, timingSafeEqual } from 'node:crypto';
import { type Pool, rows } from '../../common/db/pool';
import { safeEqual } from '../../common/security/compare';
import { TtlCache } from '../cache/ttl';
import { CODE, EsbError } from '../codes';
import type { Msg } from '../i18n/lang';
import { M } from '../i18n/messages';
import type { CallInput, Credentials } from '../params/params';
import type { NonceStore } from './nonces';
import { MAX_SKEW_SEC, sign, signedMessage } from './signature';
import type { Whitelist, Whitelists } from './whitelist';

const SECRETS_SQL = `SELECT auth_token AS s, 0 AS account FROM paas_app WHERE code = ? AND auth_token <> ''
  UNION ALL SELECT app_token AS s, 1 AS account FROM esb_app_account WHERE app_code = ?`;

/** The request facts app authentication needs. */
export interface AppAuthRequest {
  method: string;
  /** Path for signatures: a trusted `X-Request-Uri` without its query, else the path ESB saw. */
  signPath: string;
  input: CallInput;
  creds: Credentials;
}

/** A valid secret, its SHA-256 (so each call hashes only what the caller sent), and its source. */
interface Secret {
  value: string;
  digest: Buffer;
  /** From `esb_app_account` (a platform account), not from the developer center's `paas_app`. */
  account: boolean;
}

function sha256(s: string): Buffer {
  return hash('sha256', s, 'buffer') as unknown as Buffer;
}

function fail(message: Msg): never {
  throw new EsbError(CODE.COMMON, message);
}

/**
 * Checks `bk_app_code` + `bk_app_secret` (or an HMAC signature, accepted once) against the app's
 * secrets in `paas_app.auth_token` and `esb_app_account.app_token`, cached for a few seconds.
 * A code on the skip-user-auth whitelist or in `esb_app_account` authenticates only with its
 * `esb_app_account` secret, so a developer-center app that took such a code cannot act as any user
 * or as the platform app.
 */
export class AppAuth {
  private readonly cache: TtlCache<Secret[]>;

  constructor(
    private readonly db: Pool,
    cacheMs: number,
    private readonly lists: Whitelists,
    private readonly nonces: NonceStore,
  ) {
    this.cache = new TtlCache(cacheMs);
  }

  /** Forget the cached secrets of `appCode` (all codes when undefined): they changed. */
  forget(appCode?: string): void {
    this.cache.forget(appCode);
  }

  /** Every stored secret of `appCode` with its digest (empty when the app is unknown). */
  secretsOf(appCode: string): Promise<Secret[]> {
    return this.cache.get(appCode, async () =>
      (await rows<{ s: string; account: number }>(this.db, SECRETS_SQL, [appCode, appCode])).map((r) => ({
        value: r.s,
        digest: sha256(r.s),
        account: Number(r.account) === 1,
      })),
    );
  }

  /**
   * The authenticated app code (synchronously while the app's secrets and the whitelist are
   * cached and no signature is used, else a promise), or an EsbError thrown/rejected.
   */
  verify(r: AppAuthRequest): string | Promise<string> {
    const { appCode } = r.creds;
    if (!appCode) fail(M.appCodeEmpty());
    const signature = r.input.query.bk_signature ?? r.input.query.signature;
    if (signature === undefined && !r.creds.appSecret) fail(M.appSecretEmpty());
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(appCode)) fail(M.appCodeBad(appCode.slice(0, 64)));
    const secrets = this.cache.peek(appCode);
    const wl = this.lists.peek();
    if (secrets && wl && signature === undefined) return this.match(r, appCode, secrets, wl);
    return Promise.all([secrets ?? this.secretsOf(appCode), wl ?? this.lists.get()]).then(([s, w]) =>
      signature === undefined
        ? this.match(r, appCode, s, w)
        : this.checkSignature(r, appCode, signature, s, w),
    );
  }

  /**
   * The secrets that may authenticate `appCode`: a code that is a platform account (a row in
   * `esb_app_account`) or on the whitelist takes only its account token, never a developer-center one.
   */
  private usable(appCode: string, secrets: Secret[], wl: Whitelist): Secret[] {
    const accounts = secrets.filter((s) => s.account);
    return accounts.length > 0 || wl.codes.has(appCode) ? accounts : secrets;
  }

  private match(r: AppAuthRequest, appCode: string, all: Secret[], wl: Whitelist): string {
    if (all.length === 0) fail(M.appUnknown(appCode));
    const secrets = this.usable(appCode, all, wl);
    // Constant time: digests of equal length compared with timingSafeEqual, every secret tried.
    const given = sha256(r.creds.appSecret);
    let ok = false;
    for (const s of secrets) ok = timingSafeEqual(given, s.digest) || ok;
    if (!ok) fail(secrets.length < all.length ? M.accountOnly(appCode) : M.secretMismatch());
    return appCode;
  }

  private async checkSignature(
    r: AppAuthRequest,
    appCode: string,
    signature: string,
    all: Secret[],
    wl: Whitelist,
  ): Promise<string> {
    if (all.length === 0) fail(M.appUnknown(appCode));
    const { bk_nonce: nonce, bk_timestamp: ts } = r.input.query;
    if (!nonce || !/^[1-9][0-9]{0,17}$/.test(nonce)) fail(M.nonceBad());
    if (!ts || !/^[0-9]{1,12}$/.test(ts)) fail(M.timestampBad());
    const skew = Math.abs(Date.now() / 1000 - Number(ts));
    if (skew > MAX_SKEW_SEC) fail(M.timestampSkew(Math.round(skew)));
    const message = signedMessage(r.method, r.signPath, r.input.query, r.input.rawBody);
    let ok = false;
    for (const s of this.usable(appCode, all, wl)) ok = safeEqual(signature, sign(s.value, message)) || ok;
    if (!ok) fail(M.signatureBad());
    await this.nonces.claim(appCode, ts, nonce);
    return appCode;
  }
}
