// mysql, redis and nginx on testbed hosts through the real CLI, found through Consul DNS: h1 nginx,
// h2 mysql, h3 redis+paas (all three consul servers), h4 not in install.config. Needs root and tools/testbed (skipped otherwise, saying why).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bkcec,
  globalValue,
  onHost as onHostOf,
  onHostOk as onHostOkOf,
} from '../../../test/support/testbed-cli';
import { Testbed } from '../../../tools/testbed/lib';

const root = process.getuid?.() === 0;
// A testbed instance of this suite's own (10.77.53.0/24): other suites' testbeds are left alone.
const tb = new Testbed(Number(process.env.BKCEC_TESTBED_INSTANCE ?? 53));
const IP = (i: number) => tb.hostIp(i);
const onHost = (i: number, script: string, input?: string) => onHostOf(tb.instance, i, script, input);
const onHostOk = (i: number, script: string, input?: string) => onHostOkOf(tb.instance, i, script, input);
let dir: string;
let user: string;
let pass: string;
let redisPass: string;
const timings: string[] = [];
// vm.* is not per network namespace: the redis install on a testbed host sets it for this machine too.
const OVERCOMMIT = '/proc/sys/vm/overcommit_memory';
let overcommit: string;

/** A bkcec command that must succeed; its wall time is kept for the report. */
function ok(...args: string[]) {
  const r = bkcec(dir, ...args);
  const failures = r.events.filter((e) => e.type === 'failure');
  expect(r.code, `bkcec ${args.join(' ')}: ${JSON.stringify(failures)}\n${r.stderr}`).toBe(0);
  const end = r.events.find((e) => e.type === 'run-end');
  const engine = end && 'ms' in end ? ` (engine ${(end.ms / 1000).toFixed(1)}s)` : '';
  timings.push(`${args.join(' ')}: ${(r.ms / 1000).toFixed(1)}s${engine}`);
  return r;
}

/** MYSQL_USER's login to the mysql host from host i, the password in a 0600 option file. */
const mysqlFrom = (i: number, sql = 'SELECT CURRENT_USER()', server = 'mysql.service.consul') =>
  onHost(
    i,
    `f=$(mktemp); printf '[client]\\nuser=%s\\npassword=%s\\nhost=%s\\nconnect-timeout=5\\n' '${user}' "$BK_IN" '${server}' > "$f"
mariadb --defaults-file="$f" -NBe "${sql}" 2>&1; rc=$?; rm -f "$f"; exit $rc`,
    pass,
  );

beforeAll(async () => {
  if (!root) return;
  overcommit = readFileSync(OVERCOMMIT, 'utf8');
  await tb.up(4);
  dir = mkdtempSync(join(tmpdir(), 'bkcec-mh-'));
  await tb.ctrl(dir, '1=nginx,consul 2=mysql,consul 3=redis,license,paas,consul');
  user = globalValue(dir, 'MYSQL_USER');
  pass = globalValue(dir, 'MYSQL_PASS');
  redisPass = globalValue(dir, 'REDIS_PASS');
}, 300_000);
afterAll(async () => {
  if (!root) return;
  for (const m of ['nginx', 'redis', 'mysql']) bkcec(dir, 'stop', m);
  await tb.down();
  writeFileSync(OVERCOMMIT, overcommit);
  rmSync(dir, { recursive: true, force: true });
  console.log(`timings on the testbed:\n  ${timings.join('\n  ')}`);
}, 300_000);

describe.skipIf(!root)('mysql, redis, nginx on testbed hosts', () => {
  it('installs, starts and grants through the CLI', () => {
    for (const cmd of [
      'sync consul',
      'install consul',
      'start consul',
      'install mysql',
      'start mysql',
      'initdata mysql',
      'install redis',
      'start redis',
      'install nginx',
      'start nginx',
    ]) {
      ok(...cmd.split(' '));
    }
  }, 600_000);

  it('registers each service in consul: <name>.service.consul resolves on every host', () => {
    for (const i of [1, 2, 3]) {
      // DNS answers passing services only: a service's first check may not have run since its start.
      const out = onHostOk(
        i,
        `for n in $(seq 60); do getent ahostsv4 mysql.service.consul >/dev/null && getent ahostsv4 redis.service.consul >/dev/null && getent ahostsv4 nginx.service.consul >/dev/null && break; sleep 0.5; done
for s in mysql redis nginx; do getent ahostsv4 $s.service.consul | head -n1; done`,
      );
      expect(
        out
          .trim()
          .split('\n')
          .map((l) => l.split(/\s+/)[0]),
      ).toEqual([IP(2), IP(3), IP(1)]);
    }
  });

  it('lets MYSQL_USER in from the paas host only, to open_paas only', () => {
    expect(mysqlFrom(3).stdout.trim()).toBe(`${user}@${IP(3)}`);
    const denied = mysqlFrom(3, 'CREATE DATABASE other', IP(2));
    expect(denied.stdout).toMatch(/1044|Access denied/);
    // h1 (nginx) is in install.config but uses no database; h4 has no consul agent: both by IP.
    for (const i of [1, 4]) {
      const refused = mysqlFrom(i, 'SELECT 1', IP(2));
      expect(refused.code).not.toBe(0);
      expect(refused.stdout).toMatch(/1130|is not allowed to connect/);
    }
    // Root on the mysql host: the platform socket through Debian's client defaults, no password.
    expect(onHostOk(2, `mariadb -NBe 'SELECT @@socket'`).trim()).toBe('/data/bkce/run/mysql/mysql.sock');
  });

  it('redis refuses a command without auth and accepts it with auth', () => {
    expect(onHostOk(1, `redis-cli -h ${IP(3)} -p 6379 PING`).trim()).toMatch(/NOAUTH/);
    expect(
      onHostOk(
        1,
        `REDISCLI_AUTH="$BK_IN" redis-cli --no-auth-warning -h ${IP(3)} -p 6379 PING`,
        redisPass,
      ).trim(),
    ).toBe('PONG');
    expect(onHostOk(3, 'cat /etc/sysctl.d/60-bkcec-redis.conf')).toContain('vm.overcommit_memory = 1');
  });

  it('nginx serves miniweb, answers 502 for the PaaS while no paas runs, and every host resolves PAAS_FQDN to it', () => {
    const token = `probe-${Date.now()}`;
    onHostOk(1, `echo ${token} > /data/bkce/miniweb/download/probe.txt`);
    expect(onHostOk(3, `curl -s http://${IP(1)}/download/probe.txt`).trim()).toBe(token);
    for (const i of [1, 2, 3]) {
      // ahostsv4: `getent hosts` asks for IPv6 first, which /etc/hosts lacks (a DNS timeout here).
      expect(onHostOk(i, 'getent ahostsv4 paas.bking.com | head -n1').split(/\s+/)[0]).toBe(IP(1));
      expect(onHostOk(i, `curl -s -o /dev/null -w '%{http_code}' http://paas.bking.com/`).trim()).toBe('502');
    }
    expect(onHostOk(1, 'readlink /etc/nginx/nginx.conf').trim()).toBe('/data/bkce/etc/nginx.conf');
  });

  it('brings mariadb back after kill -9 with the data written before', () => {
    expect(
      mysqlFrom(
        3,
        'CREATE DATABASE IF NOT EXISTS open_paas; CREATE TABLE IF NOT EXISTS open_paas.mh (v INT); INSERT INTO open_paas.mh VALUES (7)',
        IP(2), // by IP: Consul's health check may briefly call mysql critical while it restarts
      ).code,
    ).toBe(0);
    const pid = onHostOk(2, 'supervisorctl -c /data/bkce/etc/supervisord.conf pid mysql:mysql-mysqld').trim();
    onHostOk(
      2,
      `kill -9 ${pid}
for i in $(seq 150); do p=$(supervisorctl -c /data/bkce/etc/supervisord.conf pid mysql:mysql-mysqld); [ "$p" != 0 ] && [ "$p" != ${pid} ] && break; sleep 0.2; done
for i in $(seq 150); do mariadb -NBe 'SELECT 1' >/dev/null 2>&1 && exit 0; sleep 0.2; done; exit 1`,
    );
    expect(mysqlFrom(3, 'SELECT COUNT(*) FROM open_paas.mh WHERE v = 7', IP(2)).stdout.trim()).toBe('1');
  });

  it('shows no secret on any command line', () => {
    for (const i of [1, 2, 3, 4]) {
      const ps = onHostOk(i, 'ps -eo args');
      expect(ps).not.toContain(pass);
      expect(ps).not.toContain(redisPass);
    }
  });

  it('re-runs change nothing; a changed variable is applied by install and restarted by the next start', () => {
    for (const m of ['mysql', 'redis', 'nginx']) {
      expect(ok('install', m).changed).toEqual([]);
      expect(ok('start', m).changed).toEqual([]);
    }
    expect(ok('initdata', 'mysql').changed).toEqual([]);

    const globals = join(dir, 'globals.env');
    writeFileSync(
      globals,
      readFileSync(globals, 'utf8').replace(
        'export PAAS_FQDN=paas.$BK_DOMAIN',
        'export PAAS_FQDN=paas2.$BK_DOMAIN',
      ),
    );
    const pid = onHostOk(1, 'supervisorctl -c /data/bkce/etc/supervisord.conf pid nginx:nginx-nginx').trim();
    expect(ok('install', 'nginx').changed).toEqual(expect.arrayContaining([`${IP(1)} install:config`]));
    // /etc/hosts of every host is consul's (the host's name resolution).
    expect(ok('install', 'consul').changed).toEqual(expect.arrayContaining([`${IP(3)} install:etc-hosts`]));
    // A changed config is reloaded: the master stays, its new workers serve the new name.
    expect(ok('start', 'nginx').changed).toEqual([`${IP(1)} start:reload`]);
    expect(onHostOk(1, 'supervisorctl -c /data/bkce/etc/supervisord.conf pid nginx:nginx-nginx').trim()).toBe(
      pid,
    );
    expect(onHostOk(2, `curl -s -o /dev/null -w '%{http_code}' http://paas2.bking.com/`).trim()).toBe('502');
  }, 600_000);
});
