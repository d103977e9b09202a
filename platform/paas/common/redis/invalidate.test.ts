import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../../test/support/ports';
import { type RedisServer, startRedis } from '../../../../test/support/redis';
import { announce, subscribe } from './invalidate';
import { openRedis, type RedisHandle } from './redis';

let redis: RedisServer;
let pub: RedisHandle;
beforeAll(async () => {
  redis = await startRedis();
  pub = openRedis(redis);
  await waitFor('redis client', async () => pub.ready(), 5_000);
});
afterAll(async () => {
  await pub?.close();
  await redis?.stop();
});

describe('secret-change announcements', () => {
  it('reach every subscriber; each starts with a gap (drop everything) before the first key', async () => {
    const seen: string[][] = [[], []];
    const subs = [0, 1].map((i) =>
      subscribe(
        redis,
        'test:chan',
        (k) => seen[i]!.push(k),
        () => seen[i]!.push('<gap>'),
      ),
    );
    await waitFor(
      'both subscribed',
      async () => (await pub.client.pubSubNumSub('test:chan'))['test:chan'] === 2,
      5_000,
    );
    expect(await announce(pub, 'test:chan', 'demo')).toBe(2);
    await waitFor('delivered', async () => seen.every((s) => s.includes('demo')), 2_000);
    expect(seen).toEqual([
      ['<gap>', 'demo'],
      ['<gap>', 'demo'],
    ]);
    for (const s of subs) await s.close();
  });

  it('reaches nobody, without throwing, while Redis is unreachable', async () => {
    const dead = openRedis({ host: '127.0.0.1', port: 1, password: '' });
    expect(await announce(dead, 'test:chan', 'demo')).toBe(0);
    await dead.close();
  });
});
