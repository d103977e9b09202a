import type { RedisHandle } from '../../common/redis/redis';
import { CODE, EsbError } from '../codes';
import { M } from '../i18n/messages';
import { MAX_SKEW_SEC } from './signature';

const NS = 'bkcec:esb:nonce:';
/** A key outlives the whole window its timestamp is accepted in (now ± MAX_SKEW_SEC). */
const TTL_SEC = 2 * MAX_SKEW_SEC + 5;

/**
 * Signed calls are accepted once: `(app, bk_timestamp, bk_nonce)` is claimed in Redis with SET NX
 * for as long as the timestamp stays acceptable. Fail closed: while Redis cannot answer, signed
 * calls are refused (calls with bk_app_secret are unaffected).
 */
export class NonceStore {
  constructor(
    private readonly redis: RedisHandle,
    private readonly log: (msg: string) => void,
  ) {}

  /** Throw 1306000 when this triple was seen already, or Redis cannot tell. */
  async claim(app: string, timestamp: string, nonce: string): Promise<void> {
    if (!this.redis.ready()) throw new EsbError(CODE.COMMON, M.nonceStoreDown());
    let set: string | null;
    try {
      set = await this.redis.client.set(`${NS}${app}:${timestamp}:${nonce}`, '1', { NX: true, EX: TTL_SEC });
    } catch (e) {
      this.log(`nonce store: Redis failed: ${(e as Error).message}`);
      throw new EsbError(CODE.COMMON, M.nonceStoreDown());
    }
    if (set !== 'OK') throw new EsbError(CODE.COMMON, M.replayed());
  }
}
