// Issue 17's findings tried again on a testbed deployment with real requests: h1 runs the platform
// (nginx, consul, mysql, redis, license, paas), h2 an app agent (appt) — the host where a deployed
// app would run — and the controller plays the LAN. One test per finding, plus every encoded
// spelling of every protected prefix of every program; each attack must be refused and the
// platform must still work afterwards.
import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign, signedMessage } from '../../platform/paas/esb/auth/signature';
import { loadControlDir } from '../../src/config';
import { appTokenPath, parseAppTokens } from '../../src/modules/paas/tokens';
import { buildPackage } from '../support/engine';
import { failureText } from '../support/events';
import { concrete, pathVariants, rawRequest, refused } from '../support/paths';
import { bkcec } from './support/bkcec';
import { remote } from './support/remote';
import { hostIp, testbed } from './support/testbed';

const DIR = `/srv/bkcec-e2e-attacks-${process.pid}`;
const CTRL = join(DIR, 'ctrl');
/** BKCEC_E2E_PKG: a package directory built before (scripts/build.mjs) to deploy instead of building one. */
const PKG = process.env.BKCEC_E2E_PKG || join(DIR, 'pkg');
const PLATFORM = hostIp(1);
const APPHOST = hostIp(2);
const LAYOUT = '1=nginx,consul,mysql,redis,license,paas 2=appt';

let fqdn = '';
let frontPort = 80;
let g: (k: string) => string = () => '';
let p: (k: string) => number = () => 0;
/** Every secret the platform holds that a log must never show (filled as the tests make more). */
const secrets = new Set<string>();

/** Front door request (Host: PAAS_FQDN) or a direct one to `ip:port`. */
const at = (ip: string, port: number) => `http://${ip}:${port}`;
const door = () => at(PLATFORM, frontPort);
const hostHeader = () => ({ host: fqdn });

/** A tiny cookie jar over raw requests through the front door. */
class Browser {
  jar = new Map<string, string>();
  async req(method: string, path: string, form?: Record<string, string>, base = door()) {
    const headers: Record<string, string> = { ...hostHeader() };
    if (this.jar.size) headers.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const body = form ? new URLSearchParams(form).toString() : undefined;
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const r = await rawRequest(base, method, path, headers, body);
    const set = r.headers['set-cookie'];
    for (const c of Array.isArray(set) ? set : set ? [set] : []) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const v = pair!.slice(eq + 1);
      if (/Max-Age=0/.test(c) || v === '') this.jar.delete(pair!.slice(0, eq));
      else this.jar.set(pair!.slice(0, eq), v);
    }
    return r;
  }
  /** GET `page`, then POST `form` to `action` with the page's CSRF token. */
  async submit(page: string, action: string, form: Record<string, string>) {
    const text = (await this.req('GET', page)).text;
    const csrf = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(text)?.[1] ?? '';
    return this.req('POST', action, { csrfmiddlewaretoken: csrf, ...form });
  }
  async signIn(user: string, pw: string) {
    return this.submit('/login/', '/login/', { username: user, password: pw });
  }
}

/** ESB `bk_login/get_user` through the front door (GET, credentials in the query). */
async function esbGetUser(q: Record<string, string>): Promise<{ result: boolean; message: string }> {
  const r = await rawRequest(
    door(),
    'GET',
    `/api/c/compapi/v2/bk_login/get_user/?${new URLSearchParams(q)}`,
    hostHeader(),
  );
  return JSON.parse(r.text);
}

/** A query as root on the mysql host (h1). */
const sql = (q: string) => remote(1, `mysql -N -B -e ${JSON.stringify(q)}`);

let admin: Browser;
let adminToken = '';
let appCode = '';
let appSecret = '';

beforeAll(async () => {
  await rm(DIR, { recursive: true, force: true });
  await testbed('down');
  await testbed('up', '2');
  await testbed('ctrl', CTRL, LAYOUT);
  if (!process.env.BKCEC_E2E_PKG) await buildPackage(PKG);
  const cfg = await loadControlDir(CTRL);
  g = (k) => String(cfg.globals.get(k) ?? '');
  p = (k) => Number(cfg.ports.get(k));
  fqdn = g('PAAS_FQDN');
  frontPort = p('PAAS_HTTP_PORT');
  for (const [k, v] of cfg.globals)
    if (/PASS|SECRET|TOKEN|_KEY$|ENCRYPT/.test(k) && String(v).length >= 8 && !String(v).startsWith('/'))
      secrets.add(String(v));
  const r = await bkcec(CTRL, PKG, ['deploy']);
  expect(failureText(r.events) + r.stderr).toBe('');
  expect(r.code).toBe(0);
  for (const t of parseAppTokens(await readFile(appTokenPath(CTRL), 'utf8'), '.app.token').values())
    secrets.add(t);
  admin = new Browser();
  expect((await admin.signIn('admin', g('PAAS_ADMIN_PASS'))).status).toBe(302);
  adminToken = admin.jar.get('bk_token')!;
  secrets.add(adminToken);
  appCode = `atk${process.pid % 10000}`;
  expect((await admin.submit('/app/', '/app/', { code: appCode, name: appCode, developer: '' })).status).toBe(
    303,
  );
  appSecret = JSON.parse((await admin.req('GET', `/app/${appCode}/secret/`)).text).data.secret;
  secrets.add(appSecret);
}, 900_000);
afterAll(async () => {
  await testbed('down').catch(() => undefined);
  await rm(DIR, { recursive: true, force: true });
}, 120_000);

/** Every spelling of every route under a protected prefix, anonymously: none may be granted. */
async function attackAll(base: string, routes: [string, string][], headers: Record<string, string> = {}) {
  const granted: string[] = [];
  for (const [method, pattern] of routes)
    for (const path of pathVariants(concrete(pattern))) {
      const body = method === 'GET' ? undefined : '{}';
      const h = { ...hostHeader(), ...headers, ...(body ? { 'content-type': 'application/json' } : {}) };
      const r = await rawRequest(base, method, path, h, body).catch((e: Error) => ({
        status: 0,
        text: e.message,
        headers: {},
      }));
      if (r.status !== 0 && !refused(r))
        granted.push(`${method} ${base}${path} → ${r.status} ${r.text.slice(0, 60)}`);
    }
  return granted;
}

const ENGINE_ROUTES: [string, string][] = [
  ['POST', '/v1/apps/'],
  ['GET', '/v1/apps/:code/'],
  ['POST', '/v1/apps/:code/secret/'],
  ['POST', '/v1/apps/:code/test/releases/'],
  ['DELETE', '/v1/apps/:code/test/releases/'],
  ['GET', '/v1/apps/:code/events/:id/logs/'],
  ['POST', '/v1/apps/:code/events/:id/'],
  ['GET', '/v1/agents/'],
  ['POST', '/v1/agents/'],
  ['PUT', '/v1/agents/:key/'],
  ['GET', '/v1/agents/:key/healthz/'],
];
const LOGIN_ADMIN: [string, string][] = [
  ['GET', '/accounts/user/list/'],
  ['GET', '/accounts/user/new/'],
  ['POST', '/accounts/user/'],
  ['GET', '/accounts/user/1/edit/'],
  ['POST', '/accounts/user/1/password/'],
  ['DELETE', '/accounts/user/1/'],
];
const PAAS_ADMIN: [string, string][] = [
  ['GET', '/admin/esb/'],
  ['POST', '/admin/esb/whitelist/'],
  ['POST', '/admin/esb/app_accounts/'],
  ['GET', '/engine/server/'],
  ['GET', '/app/list/'],
  ['GET', '/app/:code/secret/'],
  ['POST', '/app/:code/secret/rotate/'],
  ['GET', '/paas/api/app_info/'],
];
const AGENT: [string, string][] = [
  ['POST', '/v1/app/online'],
  ['POST', '/v1/app/offline'],
  ['GET', '/v1/app/healthz'],
];

describe('issue 17 on a deployed platform', () => {
  it('agent: /%761/app/online and every other spelling is refused without its credentials, and with them from a non-appengine host', async () => {
    const agent = at(APPHOST, p('PAASAGENT_PORT'));
    expect(await attackAll(agent, AGENT)).toEqual([]);
    const [sid, token] = (
      await sql("SELECT s_id, token FROM open_paas.engine_servers WHERE category = 'tapp' LIMIT 1")
    )
      .trim()
      .split('\t');
    expect(sid, 'the appt server is registered').toBeTruthy();
    secrets.add(token!);
    // the right X-ID/X-TOKEN from the controller (not an appengine host) is still refused
    expect(await attackAll(agent, AGENT, { 'x-id': sid!, 'x-token': token! })).toEqual([]);
  });

  it('agent: listens on its LAN address only, and refuses file:// and local sources even from appengine', async () => {
    const listen = await remote(2, `ss -ltnH 'sport = :${p('PAASAGENT_PORT')}' | awk '{print $4}'`);
    expect(listen.trim().split('\n')).toEqual([`${APPHOST}:${p('PAASAGENT_PORT')}`]);
    const [sid, token] = (
      await sql("SELECT s_id, token FROM open_paas.engine_servers WHERE category = 'tapp' LIMIT 1")
    )
      .trim()
      .split('\t');
    for (const src of ['file:///etc/', '/etc', 'ext::sh -c id']) {
      const out = await remote(
        1,
        `cat > /tmp/h <<'EOF'\nx-id: ${sid}\nx-token: ${token}\ncontent-type: application/json\nEOF
curl -s -H @/tmp/h --data-binary @- http://${APPHOST}:${p('PAASAGENT_PORT')}/v1/app/online <<'EOF'
${JSON.stringify({ app_code: 'atkfile', event_id: randomUUID(), mode: 'test', envs: {}, deploy_vars: { VCS_PATH: src } })}
EOF
rm -f /tmp/h`,
      );
      expect(out, src).toMatch(/never file:\/\/ or a local path/);
    }
  });

  it('appengine /v1: every spelling of every route refused, through the front door and directly', async () => {
    expect(await attackAll(door(), ENGINE_ROUTES)).toEqual([]);
    expect(await attackAll(at(PLATFORM, p('APPENGINE_PORT')), ENGINE_ROUTES)).toEqual([]);
  });

  it('login admin: every spelling refused without a session', async () => {
    const front = LOGIN_ADMIN.map(([m, r]) => [m, `/login${r}`] as [string, string]);
    expect(await attackAll(door(), front)).toEqual([]);
    expect(await attackAll(at(PLATFORM, p('LOGIN_PORT')), LOGIN_ADMIN)).toEqual([]);
  });

  it('developer-center admin: refused without a session, and to a developer who is no administrator', async () => {
    const routes = PAAS_ADMIN.map(([m, r]) => [m, r.replace(':code', appCode)] as [string, string]);
    expect(await attackAll(door(), routes)).toEqual([]);
    expect(await attackAll(at(PLATFORM, p('PAAS_PORT')), routes)).toEqual([]);
    // a developer (created by the admin through login's form) cannot reach the ESB admin page
    expect(
      (
        await admin.submit('/login/accounts/user/new/', '/login/accounts/user/', {
          username: 'atkdev',
          password: 'Atkdev12345',
          chname: 'd',
          phone: '',
          email: 'd@example.com',
          role: '2',
        })
      ).status,
    ).toBe(303);
    const dev = new Browser();
    expect((await dev.signIn('atkdev', 'Atkdev12345')).status).toBe(302);
    const cookie = [...dev.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    expect(
      await attackAll(
        door(),
        [
          ['GET', '/admin/esb/'],
          ['POST', '/admin/esb/whitelist/'],
          ['GET', '/engine/server/'],
        ],
        { cookie },
      ),
    ).toEqual([]);
  });

  it('ESB: no spelling of the gateway answers without app credentials, nor bk_username for a plain app', async () => {
    const routes: [string, string][] = [
      ['GET', '/api/c/compapi/v2/bk_login/get_user/'],
      ['GET', '/api/c/compapi/v2/bk_paas/get_app_info/'],
    ];
    expect(await attackAll(door(), routes)).toEqual([]);
    expect(
      await attackAll(
        at(PLATFORM, p('ESB_PORT')),
        routes.map(([m, r]) => [m, r.slice(4)] as [string, string]),
      ),
    ).toEqual([]);
    expect(
      (await esbGetUser({ bk_app_code: appCode, bk_app_secret: appSecret, bk_username: 'admin' })).result,
    ).toBe(false);
  });

  it('whitelisted codes: a developer cannot create gcloud, and a gcloud app row with its own secret cannot act as admin', async () => {
    const r = await admin.submit('/app/', '/app/', { code: 'gcloud', name: 'gcloud', developer: '' });
    expect(r.status).toBe(403);
    await sql(
      "INSERT INTO open_paas.paas_app (name, code, introduction, creater, auth_token) VALUES ('claimed', 'gcloud', '', 'atkdev', 'claimed-secret-0123456789')",
    );
    expect(
      (
        await esbGetUser({
          bk_app_code: 'gcloud',
          bk_app_secret: 'claimed-secret-0123456789',
          bk_username: 'admin',
        })
      ).result,
    ).toBe(false);
    await sql("DELETE FROM open_paas.paas_app WHERE code = 'gcloud'");
  });

  it('secrets: a rotated secret is refused at once, a deleted app’s secret is not inherited', async () => {
    const code = `rot${process.pid % 10000}`;
    expect((await admin.submit('/app/', '/app/', { code, name: code, developer: '' })).status).toBe(303);
    const old = JSON.parse((await admin.req('GET', `/app/${code}/secret/`)).text).data.secret;
    expect((await esbGetUser({ bk_app_code: code, bk_app_secret: old, bk_token: adminToken })).result).toBe(
      true,
    );
    expect((await admin.submit(`/app/${code}/info/`, `/app/${code}/secret/rotate/`, {})).status).toBe(303);
    const fresh = JSON.parse((await admin.req('GET', `/app/${code}/secret/`)).text).data.secret;
    secrets.add(old).add(fresh);
    expect((await esbGetUser({ bk_app_code: code, bk_app_secret: old, bk_token: adminToken })).result).toBe(
      false,
    );
    expect((await esbGetUser({ bk_app_code: code, bk_app_secret: fresh, bk_token: adminToken })).result).toBe(
      true,
    );
    expect((await admin.submit(`/app/${code}/info/`, `/release/${code}/delete/`, {})).status).toBe(303);
    expect((await esbGetUser({ bk_app_code: code, bk_app_secret: fresh, bk_token: adminToken })).result).toBe(
      false,
    );
    expect((await admin.submit('/app/', '/app/', { code, name: code, developer: '' })).status).toBe(303);
    const next = JSON.parse((await admin.req('GET', `/app/${code}/secret/`)).text).data.secret;
    secrets.add(next);
    expect(next).not.toBe(fresh);
    expect((await esbGetUser({ bk_app_code: code, bk_app_secret: fresh, bk_token: adminToken })).result).toBe(
      false,
    );
  });

  it('ESB: a signed call cannot be replayed, and X-Request-Uri is not trusted from a direct caller', async () => {
    const path = '/api/c/compapi/v2/bk_login/get_user/';
    const signed = () => {
      const q: Record<string, string> = {
        bk_app_code: appCode,
        bk_token: adminToken,
        bk_nonce: String(1 + Math.floor(Math.random() * 1e9)),
        bk_timestamp: String(Math.floor(Date.now() / 1000)),
      };
      q.bk_signature = sign(appSecret, signedMessage('GET', path, q, ''));
      return new URLSearchParams(q).toString();
    };
    const call = (base: string, target: string, h: Record<string, string> = {}) =>
      rawRequest(base, 'GET', target, { ...hostHeader(), ...h }).then((r) => JSON.parse(r.text));
    // direct to ESB, claiming the front door's path: the signature over that path must not pass
    expect(
      (await call(at(PLATFORM, p('ESB_PORT')), `${path.slice(4)}?${signed()}`, { 'x-request-uri': path }))
        .result,
    ).toBe(false);
    const once = `${path}?${signed()}`;
    expect((await call(door(), once)).result).toBe(true);
    expect((await call(door(), once)).result).toBe(false); // the same nonce again
  });

  it('front door: bodies over what each upstream takes are refused by nginx', async () => {
    const post = (path: string, size: number) =>
      rawRequest(
        door(),
        'POST',
        path,
        { ...hostHeader(), 'content-type': 'application/json' },
        'a'.repeat(size),
      ).then((r) => r.status);
    expect(await post('/api/c/compapi/v2/bk_login/get_user/', 8 * 1024 * 1024 + 1)).toBe(413);
    expect(await post('/v1/apps/', 4 * 1024 * 1024 + 1)).toBe(413);
    expect(await post('/login/', 1024 * 1024 + 1)).toBe(413);
    expect(await post('/app/', 4 * 1024 * 1024 + 1)).toBe(413);
  });

  it('login: an attacker hammering admin from the LAN does not lock the real admin out from another address', async () => {
    let last = 0;
    for (let i = 0; i < 8; i++) last = (await new Browser().signIn('admin', 'Wrong-guess-1')).status;
    expect(last).toBe(429);
    expect((await new Browser().signIn('admin', g('PAAS_ADMIN_PASS'))).status).toBe(429); // this address is locked
    // the real admin from h2, a different address, with curl and a cookie jar
    const out = await remote(
      2,
      `cd "$(mktemp -d)"
u=http://${fqdn}:${frontPort}/login/
r="--resolve ${fqdn}:${frontPort}:${PLATFORM}"
curl -s $r -c j -b j $u > page.html
csrf=$(sed -n 's/.*name="csrfmiddlewaretoken" value="\\([^"]*\\)".*/\\1/p' page.html | head -1)
cat > f <<'EOF'
username=admin&password=${encodeURIComponent(g('PAAS_ADMIN_PASS'))}
EOF
{ tr -d '\n' < f; printf '&csrfmiddlewaretoken=%s' "$csrf"; } > form
curl -s $r -c j -b j -o /dev/null -w '%{http_code}\n' --data-binary @form $u
grep -c bk_token j || true`,
    );
    expect(out.trim().split('\n')).toEqual(['302', '1']);
  });

  it('consul: a process on the app host cannot register a fake mysql service', async () => {
    const code = await remote(
      2,
      `curl -s -o /dev/null -w '%{http_code}' -X PUT --data '{"Name":"mysql","Address":"${APPHOST}","Port":3306}' http://127.0.0.1:${p('CONSUL_HTTP_PORT')}/v1/agent/service/register`,
    );
    expect(code.trim()).toBe('403');
    const ips = await remote(2, "getent ahostsv4 mysql.service.consul | awk '{print $1}' | sort -u");
    expect(ips.trim().split('\n')).toEqual([PLATFORM]);
  });

  it('mysql: the app host gets no account on the platform database', async () => {
    const out = await remote(
      2,
      `export MYSQL_PWD='${g('MYSQL_PASS').replace(/'/g, "'\\''")}'
mysql -h ${PLATFORM} -P ${p('MYSQL_PORT')} -u '${g('MYSQL_USER')}' -N -B -e 'SELECT COUNT(*) FROM open_paas.paas_app' 2>&1 || true`,
    );
    expect(out).toMatch(/Access denied|is not allowed to connect/);
  });

  it('agent: deploys an app that runs as its own user; the API is the service user’s, only its helper is root', async () => {
    const [sid, token] = (
      await sql("SELECT s_id, token FROM open_paas.engine_servers WHERE category = 'tapp' LIMIT 1")
    )
      .trim()
      .split('\t');
    // a small Node.js app in a git repository that git daemon serves on the app host's loopback
    await remote(
      2,
      `rm -rf /srv/atkgit && mkdir -p /srv/atkgit/w && cd /srv/atkgit/w
cat > index.js <<'EOF'
require('http').createServer((q, s) => s.end(JSON.stringify({ uid: process.getuid(), url: q.url }))).listen(process.env.PORT, '127.0.0.1');
EOF
echo '{"name":"atkapp","main":"index.js"}' > package.json
git init -q && git add . && git -c user.email=a@b -c user.name=a commit -qm app
git clone -q --bare . /srv/atkgit/app.git
git daemon --reuseaddr --base-path=/srv/atkgit --export-all --listen=127.0.0.1 --port=9419 --detach --pid-file=/srv/atkgit/pid`,
    );
    const dbPass = `atkdb-${randomUUID()}`;
    const appToken = `atktok-${randomUUID()}`;
    secrets.add(dbPass);
    secrets.add(appToken);
    const job = {
      app_code: 'atkapp',
      event_id: randomUUID(),
      mode: 'test',
      envs: { DB_PASSWORD: dbPass, APP_TOKEN: appToken },
      deploy_vars: { VCS_PATH: 'git://127.0.0.1:9419/app.git' },
    };
    const out = await remote(
      1,
      `cat > /tmp/h <<'EOF'\nx-id: ${sid}\nx-token: ${token}\ncontent-type: application/json\nEOF
curl -s -H @/tmp/h --data-binary @- http://${APPHOST}:${p('PAASAGENT_PORT')}/v1/app/online <<'EOF'
${JSON.stringify(job)}
EOF
rm -f /tmp/h`,
    );
    expect(out).toMatch(/"error":0/);
    const user = `${g('APPS_USER_PREFIX') || 'bkt-'}atkapp`;
    const answer = await remote(
      2,
      `for i in $(seq 90); do a=$(curl -s --max-time 2 http://127.0.0.1:${p('APP_NGINX_PORT')}/t/atkapp/ || true)
case "$a" in *uid*) break;; esac; sleep 1; done
kill "$(cat /srv/atkgit/pid)"; rm -rf /srv/atkgit
echo "$a"; id -u ${user}`,
    );
    const [page, uid] = answer.trim().split('\n');
    expect(JSON.parse(page ?? '{}'), answer).toMatchObject({ uid: Number(uid), url: '/t/atkapp/' });
    expect(Number(uid)).toBeGreaterThan(0);
    // the API (service user) and the helper (root) as the host's process table shows them
    const ps = await remote(2, "ps -eo user:32=,args= | grep -F 'paas_agent/bin/main.mjs' | grep -v grep");
    const lines = ps.trim().split('\n');
    expect(lines.filter((l) => !/ helper /.test(l)).map((l) => l.split(/\s+/)[0])).toEqual(['blueking']);
    expect(lines.filter((l) => / helper /.test(l)).map((l) => l.split(/\s+/)[0])).toEqual(['root']);
  });

  it('no process of either host runs as root but supervisord, nginx’s master and the agent’s helper (process tables)', async () => {
    for (const i of [1, 2]) {
      const ps = await remote(
        i,
        `ps -eo user:32=,args= | grep -F '${g('INSTALL_PATH')}' | grep -v -e grep -e 'bash -s' || true`,
      );
      // supervisord itself, nginx's master (it binds its port, its workers drop to www-data), and on
      // the app host the agent's root helper (app users, their programs: platform/agent/helper)
      const root = ps
        .split('\n')
        .filter(
          (l) =>
            l.startsWith('root ') &&
            !/supervisord|nginx: master process|paas_agent\/bin\/main\.mjs helper --config/.test(l),
        );
      expect(root, `host ${i}`).toEqual([]);
      expect(ps).toMatch(i === 1 ? /paas|login|esb|appengine/ : /paas_agent\/bin\/main\.mjs --config/);
    }
  });

  it('no secret from globals.env, .app.token, app secrets or sessions appears under the hosts’ log folders', async () => {
    // a round of calls that carry secrets in query strings first
    await esbGetUser({ bk_app_code: appCode, bk_app_secret: appSecret, bk_token: adminToken });
    await rawRequest(door(), 'GET', `/login/accounts/is_login/?bk_token=${adminToken}`, hostHeader());
    await new Promise((r) => setTimeout(r, 1_500)); // buffered log writes
    const list = [...secrets].filter((s) => s.length >= 8).join('\n');
    const found: string[] = [];
    for (const i of [1, 2]) {
      const hits = await remote(
        i,
        `cat > /tmp/s <<'EOF'\n${list}\nEOF
grep -rlF -f /tmp/s ${g('INSTALL_PATH')}/logs || true
rm -f /tmp/s`,
      );
      found.push(
        ...hits
          .split('\n')
          .filter(Boolean)
          .map((f) => `host ${i}: ${f}`),
      );
    }
    expect(found).toEqual([]);
  });

  it('every program log folder on both hosts is 0750 at most, no log file is world-readable', async () => {
    for (const i of [1, 2]) {
      const logs = `${g('INSTALL_PATH')}/logs`;
      // logs/paas_apps is the one exception: root 0711, so each app user reaches its own 0750 folder
      const modes = await remote(
        i,
        `find ${logs} -mindepth 1 \\( -type d -perm /0027 ! -path ${logs}/paas_apps -o -type f -perm /0007 \\) -printf '%m %p\\n'
[ ! -e ${logs}/paas_apps ] || stat -c 'apps %a %U' ${logs}/paas_apps`,
      );
      expect(modes.trim(), `host ${i}`).toBe(i === 2 ? 'apps 711 root' : '');
      expect(await remote(i, `find ${logs} -type f | wc -l`)).not.toMatch(/^\s*0\s*$/);
    }
    expect(await remote(2, `stat -c '%a %U:%G' ${g('INSTALL_PATH')}/logs/paas_agent`)).toBe(
      '750 root:blueking\n',
    );
  });

  it('the platform still works after every attack', async () => {
    // (admin stays locked for this controller's address for the window: sign in as the developer)
    const b = new Browser();
    expect((await b.signIn('atkdev', 'Atkdev12345')).status).toBe(302);
    expect((await b.req('GET', '/app/list/')).status).toBe(200);
    expect(
      (await esbGetUser({ bk_app_code: appCode, bk_app_secret: appSecret, bk_token: adminToken })).result,
    ).toBe(true);
    for (const path of ['/healthz/', '/login/healthz/', '/api/healthz/', '/v1/healthz/'])
      expect((await rawRequest(door(), 'GET', path, hostHeader())).status, path).toBe(200);
  });
});
