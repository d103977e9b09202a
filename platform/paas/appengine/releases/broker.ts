// Celery brokers: one Redis ACL user per app and environment, whose keys and Pub/Sub channels
// are limited to its own prefix `bkapp:<mode>:<code>:`. Kombu (≥ 5.3) puts every key and channel
// under that prefix with its `global_keyprefix` option; the agent sets it for apps that do not
// (pycompat/sitecustomize.py). Redis keeps ACL users in memory only, so appengine puts them back
// after a Redis restart (`reconcileBrokers`, every 30 s).
import { createHash, randomBytes } from 'node:crypto';
import type { PaasConfig } from '../../common/config/config';
import { exec, one, type Pool, rows } from '../../common/db/pool';
import type { RedisHandle } from '../../common/redis/redis';
import type { Mode } from '../agents/store';

/** An app's broker account in one environment. */
export interface AppBroker {
  username: string;
  password: string;
  prefix: string;
}

const CODE = /^[a-z][a-z0-9_-]{0,29}$/;

/** The ACL user's name and key prefix: no glob characters can come from a code that passed CODE. */
function names(code: string, mode: Mode): { username: string; prefix: string } {
  if (!CODE.test(code)) throw new Error(`app code ${JSON.stringify(code)} cannot name a broker`);
  return { username: `bkapp-${mode}-${code}`, prefix: `bkapp:${mode}:${code}:` };
}

/**
 * What the app may do: every command but the dangerous and administrative ones, and none that
 * lists or reaches keys outside its prefix (SCAN, RANDOMKEY, DBSIZE, PUBSUB, SELECT, MOVE).
 * The password goes in as its SHA-256 (`#…`), so Redis never holds or logs it in clear.
 */
function aclRules(b: AppBroker): string[] {
  return [
    'reset',
    'on',
    `#${createHash('sha256').update(b.password).digest('hex')}`,
    `~${b.prefix}*`,
    `&${b.prefix}*`,
    '+@all',
    '-@dangerous',
    '-@admin',
    '-scan',
    '-randomkey',
    '-dbsize',
    '-pubsub',
    '-select',
    '-swapdb',
    '-move',
  ];
}

async function ready(redis: RedisHandle): Promise<void> {
  const end = Date.now() + 3_000;
  while (!redis.ready()) {
    if (Date.now() > end) throw new Error('the platform Redis is not reachable');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const setUser = (redis: RedisHandle, b: AppBroker) =>
  redis.client.sendCommand(['ACL', 'SETUSER', b.username, ...aclRules(b)]);

/** The app's broker in `mode`: made on the first Celery deploy (random password), put (back) in Redis on every one. */
export async function ensureBroker(
  db: Pool,
  redis: RedisHandle,
  appId: number,
  code: string,
  mode: Mode,
): Promise<AppBroker> {
  const { username, prefix } = names(code, mode);
  await ready(redis);
  const had = await one<{ username: string; password: string }>(
    db,
    'SELECT username, password FROM engine_app_brokers WHERE bk_app_id = ? AND mode = ?',
    [appId, mode],
  );
  const b: AppBroker = { username, prefix, password: had?.password ?? randomBytes(18).toString('base64url') };
  if (had && had.username !== username)
    throw new Error(`the broker account of app ${appId} is ${had.username}`);
  if (!had)
    await exec(
      db,
      'INSERT INTO engine_app_brokers (bk_app_id, mode, username, password) VALUES (?, ?, ?, ?)',
      [appId, mode, username, b.password],
    );
  await setUser(redis, b);
  return b;
}

/** The variables the app reads: BK_BROKER_URL (blueapps, legacy), the key prefix, the legacy Celery flags. */
export function brokerEnvs(cfg: PaasConfig['redis'], b: AppBroker, beat: boolean): Record<string, string> {
  return {
    BK_BROKER_URL: `redis://${b.username}:${b.password}@${cfg.host}:${cfg.port}/0`,
    BK_BROKER_KEY_PREFIX: b.prefix,
    IS_USE_CELERY: 'true',
    IS_USE_CELERY_BEAT: beat ? 'true' : 'false',
  };
}

/**
 * Remove the app's broker in `mode` (offline) or in every mode (`mode` undefined: app deleted):
 * the ACL user (Redis closes its connections) and every key under its prefix. Returns how many
 * brokers went.
 */
export async function dropBrokers(db: Pool, redis: RedisHandle, appId: number, mode?: Mode): Promise<number> {
  const list = await rows<{ mode: Mode; username: string }>(
    db,
    `SELECT mode, username FROM engine_app_brokers WHERE bk_app_id = ?${mode ? ' AND mode = ?' : ''}`,
    mode ? [appId, mode] : [appId],
  );
  if (list.length === 0) return 0;
  await ready(redis);
  for (const b of list) {
    const code = b.username.slice(`bkapp-${b.mode}-`.length);
    const { prefix } = names(code, b.mode);
    await redis.client.sendCommand(['ACL', 'DELUSER', b.username]);
    let cursor = '0';
    do {
      const [next, keys] = (await redis.client.sendCommand([
        'SCAN',
        cursor,
        'MATCH',
        `${prefix}*`,
        'COUNT',
        '500',
      ])) as [string, string[]];
      if (keys.length) await redis.client.sendCommand(['UNLINK', ...keys]);
      cursor = next;
    } while (cursor !== '0');
    await exec(db, 'DELETE FROM engine_app_brokers WHERE bk_app_id = ? AND mode = ?', [appId, b.mode]);
  }
  return list.length;
}

/** Put back every broker user Redis lost (it restarted); returns how many. Errors are the caller's to log. */
export async function reconcileBrokers(db: Pool, redis: RedisHandle): Promise<number> {
  if (!redis.ready()) return 0;
  const known = new Set((await redis.client.sendCommand(['ACL', 'USERS'])) as string[]);
  let n = 0;
  for (const r of await rows<{ mode: Mode; username: string; password: string }>(
    db,
    'SELECT mode, username, password FROM engine_app_brokers',
  )) {
    if (known.has(r.username)) continue;
    const code = r.username.slice(`bkapp-${r.mode}-`.length);
    await setUser(redis, { username: r.username, password: r.password, prefix: names(code, r.mode).prefix });
    n++;
  }
  return n;
}
