import { hash, timingSafeEqual } from 'node:crypto';
import { type Pool, rows } from '../../common/db/pool';
import { safeEqual } from '../../common/security/compare';
import { TtlCache } from '../cache/ttl';
import { CODE, EsbError } from '../codes';
import type { CallInput, Credentials } from '../params/params';
import { MAX_SKEW_SEC, sign, signedMessage } from './signature';

const SECRETS_SQL = `SELECT auth_token AS s FROM paas_app WHERE code = ? AND auth_token <> ''
  UNION ALL SELECT app_token AS s FROM esb_app_account WHERE app_code = ?`;

/** The request facts app authentication needs. */
export interface AppAuthRequest {
  method: string;
  /** Path for signatures: `X-Request-Uri` without its query, else the path ESB saw. */
  signPath: string;
  input: CallInput;
  creds: Credentials;
}

/** A valid secret and its SHA-256, so each call hashes only what the caller sent. */
interface Secret {
  value: string;
  digest: Buffer;
}

function sha256(s: string): Buffer {
  return hash('sha256', s, 'buffer') as unknown as Buffer;
}

function fail(message: string): never {
  throw new EsbError(CODE.COMMON, message);
}

/**
 * Checks `bk_app_code` + `bk_app_secret` (or an HMAC signature) against the app's secrets in
 * `paas_app.auth_token` and `esb_app_account.app_token`, cached in memory for a few seconds.
 */
export class AppAuth {
  private readonly cache: TtlCache<Secret[]>;

  constructor(
    private readonly db: Pool,
    cacheMs: number,
  ) {
    this.cache = new TtlCache(cacheMs);
  }

  /** Every valid secret of `appCode` with its digest (empty when the app is unknown). */
  secretsOf(appCode: string): Promise<Secret[]> {
    return this.cache.get(appCode, async () =>
      (await rows<{ s: string }>(this.db, SECRETS_SQL, [appCode, appCode])).map((r) => ({
        value: r.s,
        digest: sha256(r.s),
      })),
    );
  }

  /**
   * The authenticated app code (synchronously while the app's secrets are cached, else a promise),
   * or an EsbError thrown/rejected saying what is wrong.
   */
  verify(r: AppAuthRequest): string | Promise<string> {
    const { appCode } = r.creds;
    if (!appCode) fail('APP Code [bk_app_code] cannot be empty');
    const signature = r.input.query.bk_signature ?? r.input.query.signature;
    if (signature === undefined && !r.creds.appSecret) fail('APP Secret [bk_app_secret] cannot be empty');
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(appCode)) fail(`APP Code [${appCode.slice(0, 64)}] is not valid`);
    const secrets = this.cache.peek(appCode);
    if (secrets) return this.match(r, appCode, signature, secrets);
    return this.secretsOf(appCode).then((s) => this.match(r, appCode, signature, s));
  }

  private match(
    r: AppAuthRequest,
    appCode: string,
    signature: string | undefined,
    secrets: Secret[],
  ): string {
    if (secrets.length === 0)
      fail(`APP Code [${appCode}] is not valid, please confirm that the APP Code has been registered`);
    if (signature !== undefined) return this.checkSignature(r, appCode, signature, secrets);
    // Constant time: digests of equal length compared with timingSafeEqual, every secret tried.
    const given = sha256(r.creds.appSecret);
    let ok = false;
    for (const s of secrets) ok = timingSafeEqual(given, s.digest) || ok;
    if (!ok) fail('APP Secret verification failed, please check that bk_app_code and bk_app_secret match');
    return appCode;
  }

  private checkSignature(r: AppAuthRequest, appCode: string, signature: string, secrets: Secret[]): string {
    const { bk_nonce: nonce, bk_timestamp: ts } = r.input.query;
    if (!nonce || !/^[1-9][0-9]{0,17}$/.test(nonce))
      fail('bk_nonce must be a positive integer in the query string');
    if (!ts || !/^[0-9]{1,12}$/.test(ts)) fail('bk_timestamp must be a Unix timestamp in the query string');
    const skew = Math.abs(Date.now() / 1000 - Number(ts));
    if (skew > MAX_SKEW_SEC)
      fail(`bk_timestamp is ${Math.round(skew)} s away from now; at most ${MAX_SKEW_SEC} s is accepted`);
    const message = signedMessage(r.method, r.signPath, r.input.query, r.input.rawBody);
    let ok = false;
    for (const s of secrets) ok = safeEqual(signature, sign(s.value, message)) || ok;
    if (!ok)
      fail(
        'APP signature verification failed, please check bk_signature, the secret and the signed parameters',
      );
    return appCode;
  }
}
