// Sign-in throttling that cannot lock an account out for good. Failures are counted per
// (user, address) and per address — those refuse for the rest of the window — and per user,
// which only slows that user's sign-ins down: an attacker hammering `admin` from one address
// locks out that address, never the real admin signing in from another one.
//
// Redis down (documented in docs/security.md): every limit keeps working from counters in this
// process's memory (per login host rather than platform-wide), so nothing is refused because
// Redis is down and nothing goes unlimited either. Counters move back to Redis once it answers.
import type { RedisHandle } from '../common/redis/redis';

/** Failures allowed within `windowSec`; `userDelayMs` per failure beyond `perUser`, up to `maxDelayMs`. */
export interface LimitOptions {
  /** Failures for one user from one address before that pair is refused. */
  perPair: number;
  /** Failures from one address, any users, before the address is refused. */
  perIp: number;
  /** Failures for one user from all addresses before each further try of that user is delayed. */
  perUser: number;
  windowSec: number;
  userDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_LIMITS: LimitOptions = {
  perPair: 5,
  perIp: 30,
  perUser: 10,
  windowSec: 900,
  userDelayMs: 500,
  maxDelayMs: 3_000,
};

/** What a sign-in attempt must do: wait `waitSec` (refused now) or go ahead after `delayMs`. */
export interface Gate {
  waitSec: number;
  delayMs: number;
}

const PREFIX = 'bkcec:login:fail:';

/** Counters with a time-to-live, in Redis or in memory. */
interface Counters {
  read(keys: string[]): Promise<{ count: number; ttlSec: number }[]>;
  add(keys: string[], windowSec: number): Promise<void>;
  drop(keys: string[]): Promise<void>;
}

class RedisCounters implements Counters {
  constructor(private readonly r: RedisHandle) {}
  async read(keys: string[]) {
    const m = this.r.client.multi();
    for (const k of keys) m.get(k).ttl(k);
    const out = (await m.exec()) as unknown as (string | number | null)[];
    return keys.map((_, i) => ({ count: Number(out[2 * i] ?? 0), ttlSec: Number(out[2 * i + 1] ?? -1) }));
  }
  async add(keys: string[], windowSec: number) {
    const m = this.r.client.multi();
    for (const k of keys) m.set(k, '0', { EX: windowSec, NX: true }).incr(k);
    await m.exec();
  }
  async drop(keys: string[]) {
    await this.r.client.del(keys);
  }
}

/** The same counters in this process, bounded: the oldest entries go first when full. */
class MemoryCounters implements Counters {
  private readonly m = new Map<string, { count: number; until: number }>();
  constructor(private readonly max = 50_000) {}
  private live(k: string) {
    const e = this.m.get(k);
    if (e && e.until <= Date.now()) this.m.delete(k);
    return e && e.until > Date.now() ? e : undefined;
  }
  async read(keys: string[]) {
    return keys.map((k) => {
      const e = this.live(k);
      return { count: e?.count ?? 0, ttlSec: e ? Math.ceil((e.until - Date.now()) / 1000) : -1 };
    });
  }
  async add(keys: string[], windowSec: number) {
    for (const k of keys) {
      const e = this.live(k);
      if (e) e.count++;
      else {
        if (this.m.size >= this.max) this.m.delete(this.m.keys().next().value as string);
        this.m.set(k, { count: 1, until: Date.now() + windowSec * 1000 });
      }
    }
  }
  async drop(keys: string[]) {
    for (const k of keys) this.m.delete(k);
  }
}

/** Usernames are case-insensitive; a key never grows with what a client sends. */
const userKey = (u: string) => encodeURIComponent(u.toLowerCase()).slice(0, 120);

export class LoginLimiter {
  private readonly redisCounters: Counters;
  private readonly memory = new MemoryCounters();

  constructor(
    private readonly redis: RedisHandle,
    readonly o: LimitOptions = DEFAULT_LIMITS,
    private readonly warn: (msg: string) => void = () => {},
  ) {
    this.redisCounters = new RedisCounters(redis);
  }

  private keys(username: string, ip: string) {
    const u = userKey(username);
    return { pair: `${PREFIX}p:${u}|${ip}`, ip: `${PREFIX}ip:${ip}`, user: `${PREFIX}u:${u}` };
  }

  /** Redis when it answers, else memory (logged once per failure). */
  private async run<T>(op: (c: Counters) => Promise<T>): Promise<T> {
    if (this.redis.ready())
      try {
        return await op(this.redisCounters);
      } catch (e) {
        this.warn(`login limits: Redis failed (${(e as Error).message}); counting in memory`);
      }
    return op(this.memory);
  }

  /** Whether this attempt may go ahead now, later, or after a delay. */
  async gate(username: string, ip: string): Promise<Gate> {
    const k = this.keys(username, ip);
    const [pair, addr, user] = await this.run((c) => c.read([k.pair, k.ip, k.user]));
    const over = [
      [pair!, this.o.perPair],
      [addr!, this.o.perIp],
    ] as const;
    const waits = over.filter(([c, limit]) => c.count >= limit).map(([c]) => Math.max(1, c.ttlSec));
    if (waits.length) return { waitSec: Math.max(...waits), delayMs: 0 };
    const beyond = user!.count - this.o.perUser + 1;
    return { waitSec: 0, delayMs: beyond > 0 ? Math.min(this.o.maxDelayMs, beyond * this.o.userDelayMs) : 0 };
  }

  /** Count one failed attempt for the pair, the address and the user. */
  async fail(username: string, ip: string): Promise<void> {
    const k = this.keys(username, ip);
    await this.run((c) => c.add([k.pair, k.ip, k.user], this.o.windowSec));
  }

  /** A right password: forget this pair's and this user's failures (the address keeps its count). */
  async succeed(username: string, ip: string): Promise<void> {
    const k = this.keys(username, ip);
    await this.run((c) => c.drop([k.pair, k.user]));
  }
}
