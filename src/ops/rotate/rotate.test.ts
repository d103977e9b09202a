// The pieces of a rotation that run without a testbed: globals.env edits, and a real Redis taking a
// second password (the script runs here with bash, as it would on the redis host).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedis } from '../../../test/support/redis';
import { setGlobal } from './globals';
import { consulKeyringScript, redisAddPasswordScript } from './hosts';
import { describePlan } from './rotate';

const dir = mkdtempSync(join(tmpdir(), 'bkcec-rotate-'));
let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
}, 30_000);
afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const bash = (script: string) => spawnSync('bash', ['-s'], { input: script, encoding: 'utf8' });
const redisSays = (pw: string) =>
  spawnSync('redis-cli', ['-h', redis.host, '-p', String(redis.port)], {
    input: `AUTH ${pw}\nPING\n`,
    encoding: 'utf8',
  }).stdout;

describe('rotation pieces', () => {
  it('setGlobal replaces the one assignment, keeps the rest and 0600, appends a missing one', async () => {
    const f = join(dir, 'globals.env');
    writeFileSync(f, "# secrets\nexport REDIS_PASS='old'\nREDIS_PASS_X=keep\nexport A=1\n", { mode: 0o600 });
    await setGlobal(dir, 'REDIS_PASS', 'n$e&w\\1');
    await setGlobal(dir, 'NEW_ONE', 'v');
    expect(readFileSync(f, 'utf8')).toBe(
      "# secrets\nexport REDIS_PASS='n$e&w\\1'\nREDIS_PASS_X=keep\nexport A=1\nexport NEW_ONE='v'\n",
    );
    expect(statSync(f).mode & 0o777).toBe(0o600);
    await expect(setGlobal(dir, 'REDIS_PASS', "it's")).rejects.toThrow(/quote/);
    await expect(setGlobal(dir, 'REDIS_PASS', 'a\nexport X=1')).rejects.toThrow(/line break/);
  });

  it('redis takes the new password beside the old one; a wrong current password changes nothing', () => {
    const v = { LAN_IP: redis.host, REDIS_PORT: String(redis.port) };
    const next = 'NewRedisPass12345';
    const bad = bash(redisAddPasswordScript(v, 'WrongPassword1', 'Other12345678'));
    expect(bad.status).not.toBe(0);
    expect(bad.stdout + bad.stderr).not.toContain('Other12345678');
    expect(redisSays('Other12345678')).toMatch(/WRONGPASS|invalid/i);
    const r = bash(redisAddPasswordScript(v, redis.password, next));
    expect(r.status, r.stderr).toBe(0);
    expect(redisSays(next)).toMatch(/OK\s+PONG/);
    expect(redisSays(redis.password)).toMatch(/OK\s+PONG/);
    expect(() => redisAddPasswordScript(v, redis.password, 'has space in it')).toThrow(/expected 8-128/);
  });

  it('keyring script refuses malformed keys; plans say their order', () => {
    expect(() => consulKeyringScript({}, 'short', Buffer.alloc(32).toString('base64'))).toThrow(/32-byte/);
    expect(describePlan('MYSQL_PASS')).toEqual([
      'globals.env: MYSQL_PASS gets a new value',
      'render paas',
      'initdata mysql',
      'restart paas',
      'deploy (re-render, owed restarts, rolling where the module rolls)',
    ]);
  });
});
