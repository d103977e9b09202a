import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../test/support/ports';
import { type RedisServer, startRedis } from '../../../../test/support/redis';
import { openRedis, type RedisHandle } from '../../common/redis/redis';
import { RateLimiter } from './limiter';

let server: RedisServer;
let redis: RedisHandle;
beforeAll(async () => {
  server = await startRedis();
  redis = openRedis(server);
  for (let i = 0; i < 50 && !redis.ready(); i++) await new Promise((r) => setTimeout(r, 50));
});
afterAll(async () => {
  await redis?.close();
  await server?.stop();
});

describe('RateLimiter', () => {
  it('keeps one bucket per app and channel and refills over time', async () => {
    const l = new RateLimiter(redis, () => {});
    const rule = [{ tokens: 2, periodSec: 1 }];
    expect([await l.allow('a', 1, rule), await l.allow('a', 1, rule), await l.allow('a', 1, rule)]).toEqual([
      true,
      true,
      false,
    ]);
    expect(await l.allow('b', 1, rule)).toBe(true);
    expect(await l.allow('a', 2, rule)).toBe(true);
    await new Promise((r) => setTimeout(r, 600));
    expect(await l.allow('a', 1, rule)).toBe(true);
    expect(await redis.client.ttl('rlim::bk_esb_rate_limit::tokens::api::a::1::r0')).toBeGreaterThan(0);
  });
  it('lets calls through and logs when Redis is down', async () => {
    const down = openRedis({ host: '127.0.0.1', port: await freePort(), password: '' });
    const logged: string[] = [];
    const l = new RateLimiter(down, (m) => logged.push(m));
    expect(await l.allow('a', 1, [{ tokens: 1, periodSec: 60 }])).toBe(true);
    expect(await l.allow('a', 1, [{ tokens: 1, periodSec: 60 }])).toBe(true);
    expect(logged[0]).toMatch(/rate limit skipped for a on channel 1: Redis/);
    await down.close();
  });
});
