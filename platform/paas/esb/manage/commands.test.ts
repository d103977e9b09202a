import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaasDeps, startPaasDeps } from '../../../../test/support/paas';
import { tempDir } from '../../../../test/support/ports';
import { one } from '../../common/db/pool';
import { runManage } from '../../manage';
import { splitArgs } from './commands';

let deps: PaasDeps;
let configFile: string;
let dir: string;
beforeAll(async () => {
  deps = await startPaasDeps();
  dir = await tempDir('esb-manage');
  configFile = join(dir, 'paas.json');
  await writeFile(configFile, JSON.stringify(deps.config), { mode: 0o600 });
});
afterAll(async () => {
  await deps?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function manage(argv: string[], stdin = '') {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (c) => {
    o += c;
  });
  err.on('data', (c) => {
    e += c;
  });
  const code = await runManage([...argv, '--config', configFile], Readable.from([stdin]), out, err);
  return { code, out: o, err: e };
}

describe('manage esb-sync / add-app-account', () => {
  it('esb-sync reports what it did, then that nothing changed', async () => {
    const first = await manage(['esb-sync']);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/channels: \d+ created/);
    const second = await manage(['esb-sync']);
    expect(second.out).toMatch(/channels: 0 created, 0 updated/);
    expect(second.out).toMatch(/docs: 0 rendered/);
  });

  it('add-app-account reads the token from stdin, upserts, and whitelists with --skip-user-auth', async () => {
    const r = await manage(['add-app-account', 'bk_nodeman', '--skip-user-auth'], 'tok-1234\n');
    expect(r).toMatchObject({
      code: 0,
      out: 'app account bk_nodeman created; on the skip-user-auth whitelist\n',
    });
    expect(await one(deps.db, "SELECT app_token FROM esb_app_account WHERE app_code = 'bk_nodeman'")).toEqual(
      { app_token: 'tok-1234' },
    );
    const wl = await one<{ wlist: string }>(
      deps.db,
      "SELECT wlist FROM esb_function_controller WHERE func_code = 'user_auth::skip_user_auth'",
    );
    expect(wl!.wlist.split(',')).toContain('bk_nodeman');
    const again = await manage(['add-app-account', 'bk_nodeman'], 'tok-5678');
    expect(again.out).toBe('app account bk_nodeman updated\n');
    expect(await one(deps.db, "SELECT app_token FROM esb_app_account WHERE app_code = 'bk_nodeman'")).toEqual(
      { app_token: 'tok-5678' },
    );
    // The same token again (a re-run of initdata) is no creation.
    expect((await manage(['add-app-account', 'bk_nodeman', '--skip-user-auth'], 'tok-5678')).out).toBe(
      'app account bk_nodeman updated; on the skip-user-auth whitelist\n',
    );
    const wl2 = await one<{ wlist: string }>(
      deps.db,
      "SELECT wlist FROM esb_function_controller WHERE func_code = 'user_auth::skip_user_auth'",
    );
    expect(wl2!.wlist.split(',').filter((c) => c === 'bk_nodeman')).toHaveLength(1);
  });

  it('refuses an empty token, a bad code and extra words, without echoing the token', async () => {
    expect((await manage(['add-app-account', 'x1'], '\n')).err).toMatch(/token on stdin must be 1-128/);
    expect((await manage(['add-app-account', 'bad code!'], 'secret-value')).err).toMatch(/app code must be/);
    const extra = await manage(['add-app-account', 'a', 'b'], 'secret-value');
    expect(extra).toMatchObject({ code: 1 });
    expect(extra.err).not.toContain('secret-value');
    expect(() => splitArgs(['--token', 'x'], ['--skip-user-auth'])).toThrow(/unknown option --token/);
  });
});
