// Each secret rotated on a deployed testbed platform (one host with the whole platform) while an
// app calls ESB through the front door in a loop: the platform serves before and after, the old
// value stops working where it lived, and failures stay within one restart. Needs root and tools/testbed.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Front } from '../../../test/support/front';
import { bkcec, globalValue, onHost, onHostOk } from '../../../test/support/testbed-cli';
import { Testbed } from '../../../tools/testbed/lib';
import { loadControlDir } from '../../config';

const root = process.getuid?.() === 0;
const tb = new Testbed();
const work = mkdtempSync(join(tmpdir(), 'bkcec-rotate-tb-'));
const dir = join(work, 'ctrl');
const CODE = 'rotwl';
const TOKEN = 'rot-wl-token-0123456789abcdef';
const BIN = resolve(import.meta.dirname, '../../../bin/bkcec.mjs');
let front: Front;
let secret = '';
let adminPass = '';
let mysqlUser = '';
const timings: string[] = [];

/** `bkcec rotate NAME` run asynchronously, so the request loop keeps going meanwhile. */
function rotate(name: string): Promise<{ code: number; out: string }> {
  return new Promise((res) => {
    const p = spawn(process.execPath, [BIN, '-C', dir, 'rotate', name], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    p.stdout.on('data', (c) => (out += c));
    p.stderr.on('data', (c) => (out += c));
    p.on('close', (code) => res({ code: code ?? 255, out }));
  });
}

/** Calls ESB (app secret, whitelisted user) every 50 ms until `done`; returns the longest run of failures in ms. */
async function loopWhile(
  done: Promise<unknown>,
): Promise<{ total: number; failed: number; worstMs: number }> {
  let finished = false;
  done.finally(() => (finished = true));
  let total = 0;
  let failed = 0;
  let worstMs = 0;
  let failingSince = 0;
  while (!finished) {
    total++;
    const ok = await front.esbGetUser(CODE, secret, { bk_username: 'admin' }).then(
      (r) => r.result,
      () => false,
    );
    const now = Date.now();
    if (ok) failingSince = 0;
    else {
      failed++;
      failingSince ||= now;
      worstMs = Math.max(worstMs, now - failingSince);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { total, failed, worstMs };
}

async function serving(): Promise<void> {
  expect(await new Front(front.base, front.fqdn).signIn('admin', globalValue(dir, 'PAAS_ADMIN_PASS'))).toBe(
    302,
  );
  expect(await front.esbGetUser(CODE, secret, { bk_username: 'admin' })).toMatchObject({ result: true });
}

async function rotateServing(name: string): Promise<{ before: string; after: string }> {
  const before = globalValue(dir, name);
  await serving();
  const started = Date.now();
  const run = rotate(name);
  const loop = await loopWhile(run);
  const r = await run;
  expect(r.code, r.out).toBe(0);
  timings.push(
    `${name}: ${Date.now() - started} ms, ${loop.failed}/${loop.total} failed, longest failure ${loop.worstMs} ms`,
  );
  const after = globalValue(dir, name);
  expect(after).not.toBe(before);
  await serving();
  // At most the requests in flight while one program restarts.
  expect(loop.worstMs, timings.at(-1)).toBeLessThan(8_000);
  return { before, after };
}

beforeAll(async () => {
  if (!root) return;
  await tb.up(1);
  await tb.ctrl(dir, '1=consul,license,mysql,redis,nginx,paas');
  expect(bkcec(dir, 'deploy').code).toBe(0);
  const cfg = await loadControlDir(dir);
  front = new Front(
    `http://${tb.hostIp(1)}:${cfg.ports.get('PAAS_HTTP_PORT')}`,
    String(cfg.globals.get('PAAS_FQDN')),
  );
  adminPass = globalValue(dir, 'PAAS_ADMIN_PASS');
  mysqlUser = String(cfg.globals.get('MYSQL_USER'));
  expect(await front.signIn('admin', adminPass)).toBe(302);
  // A platform app (ESB account, skip-user-auth whitelist): its calls involve no user session.
  expect(
    (await front.submit('/admin/esb/', '/admin/esb/app_accounts/', { app_code: CODE, app_token: TOKEN }))
      .status,
  ).toBe(303);
  secret = TOKEN;
  const wl = onHostOk(
    tb.instance,
    1,
    `mysql -NBe "SELECT wlist FROM open_paas.esb_function_controller WHERE func_code = 'user_auth::skip_user_auth'"`,
  ).trim();
  await front.submit('/admin/esb/', '/admin/esb/whitelist/', { wlist: `${wl},${CODE}`, switch_status: '1' });
  expect(bkcec(dir, 'restart', 'paas', 'esb').code).toBe(0); // ESB caches the whitelist for a minute
}, 300_000);
afterAll(async () => {
  if (!root) return;
  console.log(`rotation timings:\n  ${timings.join('\n  ')}`);
  await tb.down();
  rmSync(work, { recursive: true, force: true });
}, 300_000);

describe.skipIf(!root)('bkcec rotate', () => {
  it('MYSQL_PASS: the platform account takes the new password, the old one is refused', async () => {
    const { before, after } = await rotateServing('MYSQL_PASS');
    const login = (pw: string) =>
      onHost(
        tb.instance,
        1,
        `f=$(mktemp); printf '[client]\\npassword=%s\\n' "$BK_IN" > "$f"
mariadb --defaults-file="$f" -h ${tb.hostIp(1)} -u ${mysqlUser} -NBe 'SELECT 1' open_paas; rc=$?; rm -f "$f"; exit $rc`,
        pw,
      ).code;
    expect(login(after)).toBe(0);
    expect(login(before)).not.toBe(0);
  }, 150_000);

  it('REDIS_PASS: redis asks for the new password only', async () => {
    const { before, after } = await rotateServing('REDIS_PASS');
    const ping = (pw: string) =>
      onHostOk(
        tb.instance,
        1,
        `printf 'AUTH %s\\nPING\\n' "$BK_IN" | redis-cli -h ${tb.hostIp(1)} -p 6379`,
        pw,
      );
    expect(ping(after)).toMatch(/OK\s+PONG/);
    expect(ping(before)).toMatch(/WRONGPASS|invalid/i);
  }, 150_000);

  it('CONSUL_ENCRYPT: every member keeps the new gossip key only; configs name it', async () => {
    const { before, after } = await rotateServing('CONSUL_ENCRYPT');
    const keys = onHostOk(
      tb.instance,
      1,
      `curl -s -H "X-Consul-Token: $(cat /data/bkce/etc/consul/tokens/cli.token)" http://127.0.0.1:8500/v1/operator/keyring`,
    );
    expect(keys).toContain(after);
    expect(keys).not.toContain(before);
    expect(onHostOk(tb.instance, 1, 'cat /data/bkce/etc/consul.d/consul.json')).toContain(after);
  }, 150_000);

  it('ESB_TOKEN and ESB_SECRET_KEY: programs take the new values and keep serving', async () => {
    for (const name of ['ESB_TOKEN', 'ESB_SECRET_KEY']) {
      const { after } = await rotateServing(name);
      expect(onHostOk(tb.instance, 1, 'cat /data/bkce/etc/open_paas.json')).toContain(after);
    }
  }, 150_000);

  it('PAAS_ADMIN_PASS: the admin signs in with the new password only', async () => {
    const { before, after } = await rotateServing('PAAS_ADMIN_PASS');
    expect(await new Front(front.base, front.fqdn).signIn('admin', after)).toBe(302);
    expect(await new Front(front.base, front.fqdn).signIn('admin', before)).not.toBe(302);
  }, 150_000);

  it('the license days left: bkcec status license and the developer center home page', async () => {
    const r = bkcec(dir, 'status', 'license');
    expect(r.code).toBe(0);
    expect(JSON.stringify(r.events)).toMatch(/certificate valid until \d{4}-\d\d-\d\d \(\d+ day\(s\) left\)/);
    const admin = new Front(front.base, front.fqdn);
    expect(await admin.signIn('admin', globalValue(dir, 'PAAS_ADMIN_PASS'))).toBe(302);
    const home = (await admin.req('GET', '/platform/')).text;
    expect(home).toMatch(/id="license">平台证书有效期至 .+，剩余 \d+ 天。/);
  }, 60_000);

  it('refuses an unknown secret and prints the order on --dry-run', () => {
    expect(bkcec(dir, 'rotate', 'NOT_A_SECRET').code).toBe(2);
    const before = readFileSync(join(dir, 'globals.env'), 'utf8');
    const r = execFileSync(process.execPath, [BIN, '-C', dir, '--dry-run', 'rotate', 'CONSUL_ENCRYPT'], {
      encoding: 'utf8',
    });
    expect(r).toMatch(
      /1\. consul keyring: install the new key, use it, remove the old one\n\s+2\. globals.env/,
    );
    expect(readFileSync(join(dir, 'globals.env'), 'utf8')).toBe(before);
  });
});
