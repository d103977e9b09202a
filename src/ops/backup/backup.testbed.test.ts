// Backup on one testbed platform, restore onto a fresh one (hosts torn down and made again, a new
// control directory with new secrets, deployed): a user signs in with the old password, an app
// calls ESB with its old secret under its old whitelist entry, its database and account are back.
// A damaged archive is refused before anything changes. Needs root and tools/testbed.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Front } from '../../../test/support/front';
import { bkcec, globalValue, onHostOk } from '../../../test/support/testbed-cli';
import { Testbed } from '../../../tools/testbed/lib';
import { loadControlDir } from '../../config';

const root = process.getuid?.() === 0;
const tb = new Testbed();
const LAYOUT = '1=consul,license,mysql,redis,nginx,paas';
const work = mkdtempSync(join(tmpdir(), 'bkcec-backup-tb-'));
const dirA = join(work, 'a');
const dirB = join(work, 'b');
const archive = join(work, 'platform.tar.gz');
const CODE = 'bkrst';
const WL = 'bkwl';
const WL_TOKEN = 'wl-token-0123456789abcdef';
const USER = { username: 'restoreme', password: 'OldPass123x', chname: 'restoreme', email: 'r@example.com' };
let appSecret = '';

function ok(dir: string, ...args: string[]) {
  const r = bkcec(dir, ...args);
  expect(
    r.code,
    `bkcec ${args.join(' ')}: ${JSON.stringify(r.events.filter((e) => e.type === 'failure'))} ${r.stderr}`,
  ).toBe(0);
  return r;
}
/** A resolved value of the control dir's globals.env or ports.env ($VAR references expanded). */
async function value(dir: string, name: string): Promise<string> {
  const cfg = await loadControlDir(dir);
  return String(cfg.globals.get(name) ?? cfg.ports.get(name) ?? '');
}
const front = async (dir: string) =>
  new Front(`http://${tb.hostIp(1)}:${await value(dir, 'PAAS_HTTP_PORT')}`, await value(dir, 'PAAS_FQDN'));
const sql = (q: string) => onHostOk(tb.instance, 1, `mysql -NB <<'Q'\n${q}\nQ`).trim();

beforeAll(async () => {
  if (!root) return;
  await tb.up(1);
  await tb.ctrl(dirA, LAYOUT);
  ok(dirA, 'deploy');
}, 600_000);
afterAll(async () => {
  if (!root) return;
  await tb.down();
  rmSync(work, { recursive: true, force: true });
}, 300_000);

describe.skipIf(!root)('backup and restore', () => {
  it('backs up users, apps, whitelist and app databases into one root-only archive', async () => {
    const admin = await front(dirA);
    expect(await admin.signIn('admin', globalValue(dirA, 'PAAS_ADMIN_PASS'))).toBe(302);
    const made = await admin.submit('/login/accounts/user/new/', '/login/accounts/user/', {
      ...USER,
      role: '2',
    });
    expect(made.status, made.text.slice(0, 300)).toBe(303);
    expect((await admin.submit('/app/', '/app/', { code: CODE, name: CODE, developer: '' })).status).toBe(
      303,
    );
    appSecret = JSON.parse((await admin.req('GET', `/app/${CODE}/secret/`)).text).data.secret;
    // A platform app: an ESB account and a place on the skip-user-auth whitelist (bk_username accepted).
    expect(
      (await admin.submit('/admin/esb/', '/admin/esb/app_accounts/', { app_code: WL, app_token: WL_TOKEN }))
        .status,
    ).toBe(303);
    const wl = sql(
      "SELECT wlist FROM open_paas.esb_function_controller WHERE func_code = 'user_auth::skip_user_auth'",
    );
    expect(
      (
        await admin.submit('/admin/esb/', '/admin/esb/whitelist/', {
          wlist: `${wl},${WL}`,
          switch_status: '1',
        })
      ).status,
    ).toBe(303);
    // What appengine makes on the app's first deploy (releases/database.ts), with a row of app data.
    sql(`CREATE USER 'app_${CODE}'@'%' IDENTIFIED BY 'appDbPw-1';
CREATE DATABASE bkapp_${CODE}; GRANT ALL PRIVILEGES ON \`bkapp\\_${CODE}\`.* TO 'app_${CODE}'@'%';
INSERT INTO open_paas.engine_app_databases (bk_app_id, db_name, db_user, db_password)
  SELECT id, 'bkapp_${CODE}', 'app_${CODE}', 'appDbPw-1' FROM open_paas.engine_apps WHERE app_code = '${CODE}';
CREATE TABLE bkapp_${CODE}.notes (v VARCHAR(32)); INSERT INTO bkapp_${CODE}.notes VALUES ('kept');`);
    expect((await admin.esbGetUser(CODE, appSecret, { bk_token: admin.jar.get('bk_token')! })).result).toBe(
      true,
    );

    ok(dirA, 'backup', archive);
    expect(statSync(archive).mode & 0o777).toBe(0o600);
    const m = JSON.parse(execFileSync('tar', ['-xzOf', archive, 'manifest.json'], { encoding: 'utf8' }));
    expect(m.databases).toEqual(['open_paas', `bkapp_${CODE}`]);
    expect(m.files.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining([
        'db/databases.sql',
        'control/globals.env',
        'control/.app.token',
        'control/cert/platform.cert',
      ]),
    );
    // Nothing stays on the mysql host; the dump is the consistent kind.
    expect(onHostOk(tb.instance, 1, 'ls -A /data/bkce/.bkcec/backup/ 2>/dev/null || true').trim()).toBe('');
    const dump = execFileSync('tar', ['-xzOf', archive, 'db/databases.sql'], {
      encoding: 'utf8',
      maxBuffer: 256 << 20,
    });
    expect(dump).toMatch(/INSERT INTO `notes` [^;]*'kept'/);
    expect(dump).toContain(USER.username);
  }, 120_000);

  it('restores onto fresh hosts; a damaged archive is refused first', async () => {
    await tb.up(1);
    await tb.ctrl(dirB, LAYOUT);
    expect(globalValue(dirB, 'PAAS_ADMIN_PASS')).not.toBe(globalValue(dirA, 'PAAS_ADMIN_PASS'));
    ok(dirB, 'deploy');
    const tokensBefore = readFileSync(join(dirB, '.app.token'), 'utf8');

    const bad = join(work, 'bad.tar.gz');
    copyFileSync(archive, bad);
    const b = readFileSync(bad);
    b[b.length >> 1] = (b[b.length >> 1] ?? 0) ^ 0x55;
    writeFileSync(bad, b);
    const refused = bkcec(dirB, 'restore', bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/tar|damaged/);
    expect(readFileSync(join(dirB, '.app.token'), 'utf8')).toBe(tokensBefore);
    expect(sql(`SELECT COUNT(*) FROM open_paas.bkaccount_bkuser WHERE username = '${USER.username}'`)).toBe(
      '0',
    );

    ok(dirB, 'restore', archive);
    expect(globalValue(dirB, 'PAAS_ADMIN_PASS')).toBe(globalValue(dirA, 'PAAS_ADMIN_PASS'));
    expect(readFileSync(join(dirB, '.app.token'), 'utf8')).toBe(
      readFileSync(join(dirA, '.app.token'), 'utf8'),
    );
    const f = await front(dirB);
    expect(await f.signIn(USER.username, USER.password)).toBe(302);
    expect(await new Front(f.base, f.fqdn).signIn(USER.username, 'WrongPass123x')).not.toBe(302);
    expect(await new Front(f.base, f.fqdn).signIn('admin', globalValue(dirA, 'PAAS_ADMIN_PASS'))).toBe(302);
    const user = { bk_token: f.jar.get('bk_token')! };
    expect(await f.esbGetUser(CODE, appSecret, user)).toMatchObject({
      result: true,
      data: { bk_username: USER.username },
    });
    expect((await f.esbGetUser(CODE, 'not-the-secret', user)).result).toBe(false);
    expect(await f.esbGetUser(WL, WL_TOKEN, { bk_username: 'admin' })).toMatchObject({ result: true });
    expect((await f.esbGetUser(CODE, appSecret, { bk_username: 'admin' })).result).toBe(false);
    // The app's own account reaches its database over TCP with the password appengine hands the app.
    const notes = onHostOk(
      tb.instance,
      1,
      `umask 077; f=$(mktemp); printf '[client]\\npassword=%s\\n' "$BK_IN" > "$f"
mariadb --defaults-file="$f" -h ${tb.hostIp(1)} -u app_${CODE} -NBe 'SELECT v FROM bkapp_${CODE}.notes'; rm -f "$f"`,
      'appDbPw-1',
    );
    expect(notes.trim()).toBe('kept');
  }, 150_000);
});
