// Host-level hardening on 4 testbed hosts (h1 nginx,consul · h2 mysql,consul,license ·
// h3 redis,paas,consul · h4 paas,appt: an app agent host too) deployed with HTTP_SCHEMA=https: the front door answers with the
// certificate bkcec made, redirects http, sets Secure cookies; after API calls with secrets in query
// strings no secret is in any log; no platform process runs as root but supervisord, nginx's
// master and the app agent's root helper (its API runs as the service user); Consul refuses a fake `mysql`; MySQL grants open_paas to paas hosts only.
import { readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadControlDir } from '../../src/config';
import { appTokenPath, parseAppTokens } from '../../src/modules/paas/tokens';
import { Testbed } from '../../tools/testbed/lib';
import { onHost as onHostOf } from '../support/consul-bed';
import { buildPackage } from '../support/engine';
import { bkcec } from '../support/testbed-cli';

const tb = new Testbed(Number(process.env.BKCEC_TESTBED_INSTANCE ?? 24));
const DIR = `/srv/bkcec-e2e-hardening-${process.pid}`;
const CTRL = join(DIR, 'ctrl');
const PKG = join(DIR, 'pkg');
const HOSTS = [1, 2, 3, 4];
const NGINX = tb.hostIp(1);

/** A bash script on host i (the script travels on stdin: secrets in it stay off command lines). */
async function sh(i: number, script: string): Promise<string> {
  const r = await onHostOf(tb, i, script);
  if (r.code !== 0) throw new Error(`host ${i}: exit ${r.code}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

interface Reply {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
  san?: string;
}

let fqdn = '';
let ca: Buffer;

/** One request to the front door by its IP with `Host: PAAS_FQDN` (TLS checked against front-ca.crt). */
function front(tls: boolean, path: string, o: { method?: string; cookie?: string; form?: string } = {}) {
  return new Promise<Reply>((resolve, reject) => {
    const headers: Record<string, string> = { host: fqdn };
    if (o.cookie) headers.cookie = o.cookie;
    if (o.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const base = {
      host: NGINX,
      port: tls ? 443 : 80,
      path,
      method: o.method ?? 'GET',
      headers,
      agent: false,
    };
    const done = (res: IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          san: tls ? (res.socket as TLSSocket).getPeerX509Certificate?.()?.subjectAltName : undefined,
        }),
      );
    };
    const req = tls ? httpsRequest({ ...base, ca, servername: fqdn }, done) : httpRequest(base, done);
    req.on('error', reject);
    req.end(o.form);
  });
}

const cookiesOf = (r: Reply) => (r.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!).join('; ');

describe('a hardened 4-host deployment over https', () => {
  let secrets: string[] = [];
  let bkToken = '';
  let monitor = '';
  let adminPass = '';
  let mysqlUser = '';
  let mysqlPass = '';

  beforeAll(async () => {
    await rm(DIR, { recursive: true, force: true });
    await tb.up(4);
    await tb.ctrl(CTRL, '1=nginx,consul 2=mysql,consul,license 3=redis,paas,consul 4=paas,appt');
    const g = join(CTRL, 'globals.env');
    await writeFile(
      g,
      (await readFile(g, 'utf8')).replace(/^export HTTP_SCHEMA=.*$/m, 'export HTTP_SCHEMA=https'),
    );
    await buildPackage(PKG);
    const cfg = await loadControlDir(CTRL);
    const v = (k: string) => String(cfg.globals.get(k) ?? '');
    fqdn = v('PAAS_FQDN');
    adminPass = v('PAAS_ADMIN_PASS');
    mysqlUser = v('MYSQL_USER');
    mysqlPass = v('MYSQL_PASS');
    secrets = [
      'MYSQL_PASS',
      'REDIS_PASS',
      'PAAS_ADMIN_PASS',
      'ESB_TOKEN',
      'ESB_SECRET_KEY',
      'CONSUL_ENCRYPT',
    ].map(v);
  }, 600_000);
  afterAll(async () => {
    await tb.down().catch(() => undefined);
    await rm(DIR, { recursive: true, force: true });
  }, 120_000);

  it('deploys from nothing with HTTP_SCHEMA=https', () => {
    const r = bkcec(CTRL, '--pkg', PKG, 'deploy');
    const failed = r.events.filter((e) => e.type === 'failure');
    expect(r.code, `${JSON.stringify(failed)}\n${r.stderr}`).toBe(0);
    console.log(`https deploy on 4 hosts: ${(r.ms / 1000).toFixed(1)} s`);
    ca = readFileSync(join(CTRL, 'cert', 'https', 'front-ca.crt'));
    const tokens = parseAppTokens(readFileSync(appTokenPath(CTRL), 'utf8'), '.app.token');
    monitor = tokens.get('bk_monitor')!;
    secrets.push(...tokens.values());
    for (const line of readFileSync(join(CTRL, '.consul_tokens'), 'utf8').trim().split('\n'))
      secrets.push(line.split(/\s+/)[2]!);
  }, 900_000);

  it('answers over TLS with its certificate, redirects http, and signs in with Secure cookies', async () => {
    const page = await front(true, '/login/');
    expect(page.status).toBe(200);
    expect(page.san).toContain(`DNS:${fqdn}`);
    const plain = await front(false, '/login/?c_url=%2F');
    expect(plain.status).toBe(301);
    expect(plain.headers.location).toBe(`https://${fqdn}/login/?c_url=%2F`);

    const csrf = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page.body)?.[1];
    expect(csrf).toBeTruthy();
    const form = new URLSearchParams({ username: 'admin', password: adminPass, csrfmiddlewaretoken: csrf! });
    const signed = await front(true, '/login/', {
      method: 'POST',
      cookie: cookiesOf(page),
      form: form.toString(),
    });
    expect(signed.status, signed.body).toBe(302);
    const set = [...(page.headers['set-cookie'] ?? []), ...(signed.headers['set-cookie'] ?? [])];
    expect(set.length).toBeGreaterThan(1);
    for (const c of set) expect(c, c).toMatch(/;\s*Secure/i);
    bkToken = /bk_token=([^;]+)/.exec(set.join('\n'))?.[1] ?? '';
    expect(bkToken.length).toBeGreaterThan(10);
    secrets.push(bkToken);
  }, 60_000);

  it('answers API calls that carry secrets in their query strings', async () => {
    const q = (o: Record<string, string>) => new URLSearchParams(o).toString();
    const esb = await front(
      true,
      `/api/c/compapi/v2/bk_login/get_user/?${q({ bk_app_code: 'bk_monitor', bk_app_secret: monitor, bk_username: 'admin' })}`,
    );
    expect(JSON.parse(esb.body), esb.body).toMatchObject({ result: true, data: { bk_username: 'admin' } });
    const login = await front(true, `/login/accounts/is_login/?${q({ bk_token: bkToken })}`);
    expect(JSON.parse(login.body), login.body).toMatchObject({ result: true });
    const wrong = await front(
      true,
      `/api/c/compapi/v2/bk_login/get_user/?${q({ bk_app_code: 'bk_monitor', bk_app_secret: `${monitor}x`, bk_token: bkToken, app_secret: monitor, bk_signature: monitor })}`,
    );
    expect(JSON.parse(wrong.body).result).toBe(false);
    // The internal name over plain http (not redirected), from a paas host.
    const inner = await sh(
      3,
      `curl -s -H 'Host: paas.service.consul' 'http://${NGINX}/api/c/compapi/v2/bk_login/get_user/?bk_app_code=bk_monitor&bk_app_secret=${monitor}&bk_username=admin'`,
    );
    expect(JSON.parse(inner)).toMatchObject({ result: true });
  }, 60_000);

  it('keeps every secret out of every file under the log folders, which are 0750 with no world-readable file', async () => {
    secrets = secrets.filter((s) => s.length >= 8);
    expect(secrets.length).toBeGreaterThan(10);
    for (const i of HOSTS) {
      const hits = await sh(
        i,
        `cat > /tmp/bk-secrets <<'BKSECRETS'\n${secrets.join('\n')}\nBKSECRETS\ngrep -rlF -f /tmp/bk-secrets /data/bkce/logs || true; rm -f /tmp/bk-secrets`,
      );
      expect(hits.trim(), `host ${i}: secrets in ${hits}`).toBe('');
      const dirs = await sh(i, "find /data/bkce/logs -mindepth 1 -type d -printf '%m %u %p\\n'");
      // the agent host's app log root is the one exception: root 0711 (app users reach their own)
      for (const line of dirs.trim().split('\n'))
        expect(line, `host ${i}`).toMatch(/^750 |^711 root \/data\/bkce\/logs\/paas_apps$/);
      expect(await sh(i, 'find /data/bkce/logs -type f -perm /o=r')).toBe('');
    }
    // The front door's log does have the calls, with the values redacted.
    expect(await sh(1, 'grep -c "bk_app_secret=\\*\\*\\*" /data/bkce/logs/nginx/access.log')).not.toBe('0\n');
  }, 60_000);

  it('runs no platform process as root but supervisord and the nginx master', async () => {
    const expected: Record<string, string> = {
      consul: 'consul',
      mariadbd: 'mysql',
      'redis-server': 'redis',
      node: 'blueking',
      supervisord: 'root',
    };
    for (const i of HOSTS) {
      const ps = await sh(i, 'ps -eo user:20,comm,args --no-headers');
      const ours = ps
        .trim()
        .split('\n')
        .map((l) => l.trim().split(/\s+/))
        .filter(
          ([, comm, ...args]) =>
            comm && (comm in expected || (comm === 'nginx' && args.join(' ').includes('/data/bkce'))),
        );
      expect(ours.length, `host ${i}:\n${ps}`).toBeGreaterThan(0);
      for (const [user, comm, ...args] of ours) {
        const line = `${user} ${comm} ${args.join(' ')}`;
        if (comm === 'nginx')
          expect(user, line).toBe(args.join(' ').startsWith('nginx: master') ? 'root' : 'www-data');
        // the app agent's root helper (platform/agent/helper); its API is the service user's
        else if (comm === 'node' && / helper --config \S*paas_agent\//.test(line))
          expect(user, line).toBe('root');
        else expect(user, line).toBe(expected[comm!]);
      }
    }
    const agent = await sh(4, 'ps -eo user:20=,args= | grep -F paas_agent/bin/main.mjs | grep -v grep');
    expect(
      agent
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/)[0])
        .sort(),
    ).toEqual(['blueking', 'root']);
    // nginx workers: their args do not name /data/bkce; they run as www-data.
    expect(await sh(1, "ps -C nginx -o user=,args= | awk '/worker/ {print $1}' | sort -u")).toBe(
      'www-data\n',
    );
  }, 60_000);

  it('refuses a fake mysql from a host process without the mysql token; DNS keeps the real one', async () => {
    const register = (token: string) =>
      sh(
        4,
        `${token ? `printf 'X-Consul-Token: %s\\n' "$(cat ${token})" > /tmp/h` : ': > /tmp/h'}
curl -s -o /dev/null -w '%{http_code}' -X PUT -H @/tmp/h --data '{"Name":"mysql","Port":3306,"Address":"${tb.hostIp(4)}","Check":{"TCP":"${tb.hostIp(4)}:22","Interval":"1s"}}' http://127.0.0.1:8500/v1/agent/service/register`,
      );
    expect(await register('')).toBe('403');
    expect(await register('/data/bkce/etc/consul/tokens/cli.token')).toBe('403');
    expect(await register('/data/bkce/etc/consul/tokens/service-paas.token')).toBe('403');
    // A user process (not root) cannot even read the tokens.
    const nobody = await onHostOf(
      tb,
      4,
      'setpriv --reuid=nobody --regid=nogroup --clear-groups cat /data/bkce/etc/consul/tokens/service-paas.token',
    );
    expect(nobody.code).not.toBe(0);
    await new Promise((r) => setTimeout(r, 2000));
    for (const i of HOSTS) {
      const ips = (await sh(i, "getent ahostsv4 mysql.service.consul | awk '{print $1}' | sort -u")).trim();
      expect(ips, `host ${i}`).toBe(tb.hostIp(2));
    }
  }, 60_000);

  it('lets MYSQL_USER use open_paas from paas hosts only', async () => {
    const login = (i: number, sql: string) =>
      onHostOf(
        tb,
        i,
        `f=$(mktemp); cat > "$f" <<'BKCNF'\n[client]\nuser=${mysqlUser}\npassword=${mysqlPass}\nhost=${tb.hostIp(2)}\nconnect-timeout=5\nBKCNF\nmariadb --defaults-file="$f" -NBe "${sql}" 2>&1; rc=$?; rm -f "$f"; exit $rc`,
      );
    for (const i of [3, 4]) {
      const ok = await login(i, "SELECT COUNT(*) FROM open_paas.bkaccount_bkuser WHERE username = 'admin'");
      expect(ok.stdout.trim(), ok.stderr).toBe('1');
      expect((await login(i, 'CREATE DATABASE other')).stdout).toMatch(/1044|Access denied/);
      // appengine's hosts make app databases through root's procedures only: no account or grant of their own
      expect((await login(i, "CREATE USER 'hx'@'%'")).stdout).toMatch(/1227|Access denied/);
      expect((await login(i, "GRANT SELECT ON mysql.* TO 'hx'@'%'")).stdout).toMatch(
        /1044|1227|Access denied/,
      );
      expect((await login(i, "ALTER USER 'root'@'localhost' IDENTIFIED BY 'x'")).stdout).toMatch(
        /1227|Access denied/,
      );
    }
    for (const i of [1, 2]) {
      const refused = await login(i, 'SELECT 1');
      expect(refused.code).not.toBe(0);
      expect(refused.stdout).toMatch(/1130|is not allowed to connect|Access denied/);
    }
  }, 60_000);
});
