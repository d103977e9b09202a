import { createHash, randomBytes } from 'node:crypto';
import { exec, isDuplicate, one, type Pool } from '../../common/db/pool';
import type { RedisHandle } from '../../common/redis/redis';

/** Why a token was refused (for logs and tests; the API answers one generic message). */
export type TokenCheck = { ok: true; username: string; expire: number } | { ok: false; reason: string };

const PREFIX = 'bkcec:login:tok:';
/** Longest time a cached answer may outlive a change made while Redis was unreachable. */
const CACHE_MAX_SEC = 60;
const NEGATIVE_SEC = 10;

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * bk_token issue/check/logout. Tokens are random opaque strings; MySQL (`login_bktoken`) holds
 * their SHA-256, owner, expiry and logout flag; Redis caches answers for ≤60 s and is skipped
 * when down.
 */
export class TokenStore {
  constructor(
    private readonly db: Pool,
    private readonly redis: RedisHandle,
    readonly ageSec = 86_400,
  ) {}

  /** A new token for `username`, valid `ageSec` seconds. */
  async issue(username: string): Promise<{ token: string; expire: number }> {
    const expire = Math.floor(Date.now() / 1000) + this.ageSec;
    for (let i = 0; ; i++) {
      const token = randomBytes(32).toString('base64url');
      try {
        await exec(this.db, 'INSERT INTO login_bktoken (token, username, expire_time) VALUES (?, ?, ?)', [
          digest(token),
          username,
          expire,
        ]);
        await this.cache(digest(token), `${username}|${expire}`, Math.min(CACHE_MAX_SEC, this.ageSec));
        return { token, expire };
      } catch (e) {
        if (!isDuplicate(e) || i >= 4) throw e;
      }
    }
  }

  /** Is the token present, known, not logged out and not expired? */
  async check(token: string | undefined): Promise<TokenCheck> {
    if (!token) return { ok: false, reason: 'missing' };
    if (!/^[A-Za-z0-9_-]{20,128}$/.test(token)) return { ok: false, reason: 'malformed' };
    const key = digest(token);
    const now = Math.floor(Date.now() / 1000);
    const cached = await this.cached(key);
    if (cached !== undefined)
      return cached === '' ? { ok: false, reason: 'unknown' } : this.judge(cached, now);
    const row = await one<{ username: string; expire_time: number; is_logout: number }>(
      this.db,
      'SELECT username, expire_time, is_logout FROM login_bktoken WHERE token = ?',
      [key],
    );
    if (!row) {
      await this.cache(key, '', NEGATIVE_SEC);
      return { ok: false, reason: 'unknown' };
    }
    const value = row.is_logout ? 'logout' : `${row.username}|${Number(row.expire_time)}`;
    const ttl = row.is_logout ? CACHE_MAX_SEC : Math.min(CACHE_MAX_SEC, Number(row.expire_time) - now);
    if (ttl > 0) await this.cache(key, value, ttl);
    return this.judge(value, now);
  }

  /** Mark the token logged out (DB first, then the cache). */
  async logout(token: string | undefined): Promise<void> {
    if (!token || !/^[A-Za-z0-9_-]{20,128}$/.test(token)) return;
    const key = digest(token);
    await exec(this.db, 'UPDATE login_bktoken SET is_logout = 1 WHERE token = ?', [key]);
    await this.cache(key, 'logout', CACHE_MAX_SEC);
  }

  /** Delete rows that expired more than a day ago. */
  async purgeExpired(): Promise<number> {
    const cutoff = Math.floor(Date.now() / 1000) - 86_400;
    return (await exec(this.db, 'DELETE FROM login_bktoken WHERE expire_time < ? LIMIT 10000', [cutoff]))
      .affectedRows;
  }

  private judge(value: string, now: number): TokenCheck {
    if (value === 'logout') return { ok: false, reason: 'logged out' };
    const bar = value.lastIndexOf('|');
    const expire = Number(value.slice(bar + 1));
    if (now >= expire) return { ok: false, reason: 'expired' };
    return { ok: true, username: value.slice(0, bar), expire };
  }

  private async cached(key: string): Promise<string | undefined> {
    if (!this.redis.ready()) return undefined;
    try {
      const v = await this.redis.client.get(PREFIX + key);
      return v ?? undefined;
    } catch {
      return undefined;
    }
  }

  private async cache(key: string, value: string, ttl: number): Promise<void> {
    if (!this.redis.ready() || ttl <= 0) return;
    try {
      await this.redis.client.set(PREFIX + key, value, { EX: ttl });
    } catch {
      // Redis unreachable: MySQL stays the source of truth.
    }
  }
}
