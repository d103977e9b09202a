import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MariaDb, startMariadb } from '../../../../test/support/mariadb';
import { MIGRATIONS } from '../../migrations/index';
import { parseConfig } from '../config/config';
import { checkOrder, ensureDatabase, migrate } from './migrate';
import { openDb, rows } from './pool';

const ALL = MIGRATIONS.map((x) => `${x.id}_${x.name}`);
let m: MariaDb;
beforeAll(async () => {
  m = await startMariadb();
});
afterAll(async () => {
  await m?.stop();
});

function dbCfg(database: string) {
  return parseConfig(
    {
      db: { host: m.host, port: m.port, user: m.rootUser, password: m.rootPassword, database },
      redis: { host: '127.0.0.1' },
      domains: {
        PAAS_DOMAIN: 'p.bking.com',
        PAAS_INNER_DOMAIN: 'p.bking.com',
        BK_COOKIE_DOMAIN: '.bking.com',
      },
      secrets: { SECRET_KEY: 'x'.repeat(16), ESB_TOKEN: 'y'.repeat(16) },
    },
    't',
  ).db;
}

describe('migrations', () => {
  it('creates the database utf8mb4 and applies every migration once when run twice', async () => {
    const cfg = dbCfg('open_paas');
    await ensureDatabase(cfg);
    await ensureDatabase(cfg);
    const db = openDb(cfg);
    try {
      const first = await migrate(db, MIGRATIONS);
      expect(first).toEqual(ALL);
      expect(ALL.slice(0, 4)).toEqual(['1_login', '2_paas', '3_esb', '4_engine']);
      expect(await migrate(db, MIGRATIONS)).toEqual([]);
      const cs = await rows<{ c: string }>(
        db,
        'SELECT DEFAULT_CHARACTER_SET_NAME AS c FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
        ['open_paas'],
      );
      expect(cs[0]?.c).toBe('utf8mb4');
      const roles = await rows<{ code: number }>(db, 'SELECT code FROM login_bkrole ORDER BY code');
      expect(roles.map((r) => r.code)).toEqual([0, 1, 2, 3, 4]);
      const wl = await rows<{ wlist: string }>(
        db,
        "SELECT wlist FROM esb_function_controller WHERE func_code = 'user_auth::skip_user_auth'",
      );
      expect(wl).toEqual([{ wlist: 'bk_paas_log_alert' }]);
    } finally {
      await db.end();
    }
  });

  it('applies each migration exactly once when several hosts run at the same time', async () => {
    const cfg = dbCfg('open_paas_concurrent');
    await ensureDatabase(cfg);
    const pools = [1, 2, 3, 4].map(() => openDb(cfg));
    try {
      const results = await Promise.all(pools.map((p) => migrate(p, MIGRATIONS)));
      expect(results.flat().sort()).toEqual([...ALL].sort());
      const tracked = await rows<{ id: number }>(pools[0]!, 'SELECT id FROM bkcec_migrations ORDER BY id');
      expect(tracked.map((r) => r.id)).toEqual(MIGRATIONS.map((m) => m.id));
      const roles = await rows<{ n: number }>(pools[0]!, 'SELECT COUNT(*) AS n FROM login_bkrole');
      expect(Number(roles[0]?.n)).toBe(5);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('reports the failing migration and statement', async () => {
    const cfg = dbCfg('open_paas_bad');
    await ensureDatabase(cfg);
    const db = openDb(cfg);
    try {
      const bad = [{ id: 1, name: 'broken', statements: ['CREATE TABLE nope (id INT'] }];
      await expect(migrate(db, bad)).rejects.toThrow(/migration 1_broken failed on: CREATE TABLE nope/);
      expect(await rows(db, 'SELECT id FROM bkcec_migrations')).toEqual([]);
    } finally {
      await db.end();
    }
  });

  it('refuses out-of-order ids', () => {
    expect(() =>
      checkOrder([
        { id: 2, name: 'b', statements: [] },
        { id: 1, name: 'a', statements: [] },
      ]),
    ).toThrow(/migration 1_a must have an id above 2/);
  });
});
