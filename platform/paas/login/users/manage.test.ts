// `manage set-admin-password` against a real MariaDB: stdin only, validated, the admin's hash replaced.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MariaDb, startMariadb } from '../../../../test/support/mariadb';
import { testConfig } from '../../../../test/support/paas';
import { tempDir } from '../../../../test/support/ports';
import { type RedisServer, startRedis } from '../../../../test/support/redis';
import { openDb } from '../../common/db/pool';
import { runManage } from '../../manage';
import { verifyPassword } from '../passwords/passwords';
import { findUser } from './store';

let m: MariaDb;
let r: RedisServer;
let cfgFile: string;

async function manage(args: string[], stdin = '') {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d) => (o += d));
  err.on('data', (d) => (e += d));
  const code = await runManage([...args, '--config', cfgFile], Readable.from([stdin]), out, err);
  return { code, out: o, err: e };
}

beforeAll(async () => {
  [m, r] = await Promise.all([startMariadb(), startRedis()]);
  cfgFile = join(await tempDir('setadmin'), 'paas.json');
  const cfg = testConfig(m, r);
  await writeFile(
    cfgFile,
    JSON.stringify({ ...cfg, admin: { PAAS_ADMIN_USER: 'admin', PAAS_ADMIN_PASS: 'First1234' } }),
  );
  expect((await manage(['migrate'])).code).toBe(0);
  expect((await manage(['create-admin'])).code).toBe(0);
}, 60_000);
afterAll(async () => {
  await Promise.all([m?.stop(), r?.stop()]);
});

describe('manage set-admin-password', () => {
  it('replaces the admin password from stdin; refuses a weak one and one without --password-stdin', async () => {
    expect((await manage(['set-admin-password'], 'Second1234\n')).code).toBe(1);
    const weak = await manage(['set-admin-password', '--password-stdin'], 'short\n');
    expect(weak.code).toBe(1);
    expect(weak.err).not.toContain('short');
    expect(await manage(['set-admin-password', '--password-stdin'], 'Second1234\n')).toMatchObject({
      code: 0,
      out: 'password of admin changed\n',
    });
    const db = openDb(testConfig(m, r).db);
    try {
      const u = await findUser(db, { username: 'admin' });
      expect((await verifyPassword('Second1234', u!.password)).ok).toBe(true);
      expect((await verifyPassword('First1234', u!.password)).ok).toBe(false);
    } finally {
      await db.end();
    }
  });
});
