// Sign-in throttling against real Redis: per (user, address) and per address refuse, per user
// only delays; with Redis down the same limits hold from memory.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../../test/support/http';
import { type PaasDeps, startPaasDeps } from '../../../test/support/paas';
import { startRedis } from '../../../test/support/redis';
import { openRedis, type RedisHandle } from '../common/redis/redis';
import { buildLoginApp, type LoginDeps } from './app';
import type { LimitOptions } from './ratelimit';
import { createAdmin } from './users/admin';

let deps: PaasDeps;
let redis: RedisHandle;
const apps: FastifyInstance[] = [];
const PW = 'Blueking123';

beforeAll(async () => {
  deps = await startPaasDeps();
  redis = openRedis(deps.config.redis);
  await createAdmin(deps.db, 'admin', PW);
});
afterAll(async () => {
  for (const a of apps) await a.close();
  await redis?.close();
  await deps?.stop();
});

async function start(limits: Partial<LimitOptions>, over: Partial<LoginDeps> = {}): Promise<string> {
  await redis.client.flushDb();
  const { app } = buildLoginApp({ config: deps.config, db: deps.db, redis, log: false, limits, ...over });
  apps.push(app);
  return app.listen({ host: '127.0.0.1', port: 0 });
}

/** Sign in through the form as if from `ip` (login trusts X-Forwarded-For from loopback). */
async function signInFrom(base: string, ip: string, user: string, pw: string) {
  const c = new Client(base);
  const headers = { 'x-forwarded-for': ip };
  const page = await c.req('/', { headers });
  const t0 = Date.now();
  const r = await c.req('/', {
    headers,
    form: { csrfmiddlewaretoken: Client.csrf(page.text), username: user, password: pw },
  });
  return { status: r.status, text: r.text, ms: Date.now() - t0 };
}

const LIMITS = { perPair: 3, perIp: 100, perUser: 4, windowSec: 60, userDelayMs: 200, maxDelayMs: 600 };

describe('sign-in throttling', () => {
  it('an attacker hammering admin locks out only their own addresses; the real admin gets in, slowed down', async () => {
    const base = await start(LIMITS);
    for (const ip of ['10.9.0.1', '10.9.0.2', '10.9.0.3']) {
      for (let i = 0; i < 3; i++) expect((await signInFrom(base, ip, 'admin', 'Wrong1234')).status).toBe(401);
      const r = await signInFrom(base, ip, 'admin', 'Wrong1234');
      expect(r.status).toBe(429);
      expect(r.text).toContain('Too many failed sign-in attempts');
    }
    // the right password from a locked address stays refused for the window
    expect((await signInFrom(base, '10.9.0.1', 'admin', PW)).status).toBe(429);
    // 9 failures for admin overall: 6 beyond perUser 4 → delayed by the 600 ms cap, not refused
    const real = await signInFrom(base, '10.9.0.50', 'admin', PW);
    expect(real.status).toBe(302);
    expect(real.ms).toBeGreaterThanOrEqual(600);
    // success forgets admin's failures: the next sign-in is not delayed
    expect((await signInFrom(base, '10.9.0.51', 'admin', 'Wrong1234')).status).toBe(401);
    expect(Number(await redis.client.get('bkcec:login:fail:u:admin'))).toBe(1);
  });

  it('an address spraying many users is refused for every user', async () => {
    const base = await start({ ...LIMITS, perIp: 4 });
    for (const u of ['u1x1', 'u2x2', 'u3x3', 'u4x4'])
      expect((await signInFrom(base, '10.9.1.1', u, 'Wrong1234')).status).toBe(401);
    expect((await signInFrom(base, '10.9.1.1', 'admin', PW)).status).toBe(429);
    expect((await signInFrom(base, '10.9.1.2', 'admin', PW)).status).toBe(302);
  });

  it('a lock ends with its window', async () => {
    const base = await start({ ...LIMITS, windowSec: 1 });
    for (let i = 0; i < 3; i++) await signInFrom(base, '10.9.2.1', 'admin', 'Wrong1234');
    expect((await signInFrom(base, '10.9.2.1', 'admin', PW)).status).toBe(429);
    await new Promise((r) => setTimeout(r, 1_200));
    expect((await signInFrom(base, '10.9.2.1', 'admin', PW)).status).toBe(302);
  });

  it('keeps every limit, from memory, while Redis is down; sign-in still works', async () => {
    const own = await startRedis();
    const handle = openRedis({ host: own.host, port: own.port, password: own.password });
    try {
      const base = await start(LIMITS, { redis: handle });
      expect((await signInFrom(base, '10.9.3.1', 'admin', 'Wrong1234')).status).toBe(401); // counted in Redis
      await own.stop();
      for (let i = 0; i < 3; i++)
        expect((await signInFrom(base, '10.9.3.2', 'admin', 'Wrong1234')).status).toBe(401);
      expect((await signInFrom(base, '10.9.3.2', 'admin', PW)).status).toBe(429);
      const real = await signInFrom(base, '10.9.3.3', 'admin', PW);
      expect(real.status).toBe(302);
      expect(real.ms).toBeLessThan(2_000);
    } finally {
      await handle.close();
      await own.stop().catch(() => {});
    }
  });
});
