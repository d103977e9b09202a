import { createHash } from 'node:crypto';
import type { RedisHandle } from '../../common/redis/redis';
import type { Rule } from './rules';

/**
 * Token bucket in Redis, atomic per call: KEYS[1] tokens, KEYS[2] last refill (ms, Redis clock);
 * ARGV[1] capacity, ARGV[2] period in seconds. Returns 1 when a token was taken.
 */
const SCRIPT = `
local cap = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tokens = tonumber(redis.call('GET', KEYS[1]))
local last = tonumber(redis.call('GET', KEYS[2]))
if tokens == nil or last == nil then tokens = cap; last = now end
tokens = math.min(cap, tokens + math.max(0, now - last) * cap / (period * 1000))
local ok = 0
if tokens >= 1 then tokens = tokens - 1; ok = 1 end
local ttl = math.ceil(period * 2)
redis.call('SET', KEYS[1], tostring(tokens), 'EX', ttl)
redis.call('SET', KEYS[2], tostring(now), 'EX', ttl)
return ok`;
const SHA = createHash('sha1').update(SCRIPT).digest('hex');
const NS = 'rlim::bk_esb_rate_limit';

/** Per (app, channel) rate limit; lets calls through (and logs) whenever Redis cannot answer. */
export class RateLimiter {
  constructor(
    private readonly redis: RedisHandle,
    private readonly log: (msg: string) => void,
  ) {}

  private async take(keys: string[], r: Rule): Promise<boolean> {
    const args = { keys, arguments: [String(r.tokens), String(r.periodSec)] };
    try {
      return (await this.redis.client.evalSha(SHA, args)) === 1;
    } catch (e) {
      if (!String((e as Error).message).includes('NOSCRIPT')) throw e;
      return (await this.redis.client.eval(SCRIPT, args)) === 1;
    }
  }

  /** True when every rule still has a token for this app on this channel. */
  async allow(app: string, channelId: number, rules: readonly Rule[]): Promise<boolean> {
    if (rules.length === 0) return true;
    if (!this.redis.ready()) {
      this.log(`rate limit skipped for ${app} on channel ${channelId}: Redis is not connected`);
      return true;
    }
    try {
      for (let i = 0; i < rules.length; i++) {
        const id = `api::${app}::${channelId}::r${i}`;
        if (!(await this.take([`${NS}::tokens::${id}`, `${NS}::last_ts::${id}`], rules[i]!))) return false;
      }
      return true;
    } catch (e) {
      this.log(
        `rate limit skipped for ${app} on channel ${channelId}: Redis failed: ${(e as Error).message}`,
      );
      return true;
    }
  }
}
