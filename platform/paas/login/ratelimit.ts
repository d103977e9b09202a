import type { RedisHandle } from '../common/redis/redis';

/** Limits on failed sign-ins per username and per client IP within a window. */
export interface LimitOptions {
  perUser: number;
  perIp: number;
  windowSec: number;
}

const PREFIX = 'bkcec:login:fail:';

/**
 * Failed-login counters in Redis with a TTL. When Redis is down the limiter lets attempts
 * through (sign-in must keep working) and the caller logs it.
 */
export class LoginLimiter {
  constructor(
    private readonly redis: RedisHandle,
    readonly o: LimitOptions = { perUser: 5, perIp: 20, windowSec: 600 },
  ) {}

  /** Seconds until the caller may try again, or 0 when not blocked. */
  async blockedFor(username: string, ip: string): Promise<number> {
    if (!this.redis.ready()) return 0;
    try {
      const [u, i] = await this.redis.client.mGet([
        `${PREFIX}u:${username.toLowerCase()}`,
        `${PREFIX}ip:${ip}`,
      ]);
      const over: string[] = [];
      if (Number(u ?? 0) >= this.o.perUser) over.push(`${PREFIX}u:${username.toLowerCase()}`);
      if (Number(i ?? 0) >= this.o.perIp) over.push(`${PREFIX}ip:${ip}`);
      if (over.length === 0) return 0;
      const ttls = await Promise.all(over.map((k) => this.redis.client.ttl(k)));
      return Math.max(1, ...ttls);
    } catch {
      return 0;
    }
  }

  /** Count one failed attempt for the user and the IP. */
  async fail(username: string, ip: string): Promise<void> {
    if (!this.redis.ready()) return;
    try {
      const m = this.redis.client.multi();
      for (const k of [`${PREFIX}u:${username.toLowerCase()}`, `${PREFIX}ip:${ip}`]) {
        m.set(k, '0', { EX: this.o.windowSec, NX: true });
        m.incr(k);
      }
      await m.exec();
    } catch {
      // Redis unreachable: nothing to count into.
    }
  }

  /** Forget the user's failures after a successful sign-in. */
  async succeed(username: string): Promise<void> {
    if (!this.redis.ready()) return;
    try {
      await this.redis.client.del(`${PREFIX}u:${username.toLowerCase()}`);
    } catch {
      // ignore: the counter expires anyway
    }
  }
}
