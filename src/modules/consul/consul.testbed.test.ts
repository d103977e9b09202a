// The consul module on the testbed, for real: one host alone, then 3 servers + 1 client.
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bkcec, onHost as onHostOf, type Ran, within } from '../../../test/support/consul-bed';
import { startTestDns, type TestDns } from '../../../test/support/dns-server';
import { Testbed } from '../../../tools/testbed/lib';
import { compileScript } from '../../engine/script';
import { consulServiceStep } from './service';

// A testbed instance of this suite's own (10.77.85.0/24, or BKCEC_TESTBED_INSTANCE): other suites' hosts are left alone.
const tb = new Testbed(Number(process.env.BKCEC_TESTBED_INSTANCE ?? 85));
const HOSTS = [1, 2, 3, 4];
const ip = (i: number) => tb.hostIp(i);
const esc = (s: string) => s.replace(/\./g, '\\.');
/** Matches a getent line for host i's address. */
const at = (i: number) => new RegExp(`^${esc(ip(i))}\\s`);
/** Matches the getent line `address name`. */
const line = (address: string, name: string) => new RegExp(`^${esc(address)}\\s+${esc(name)}$`);
const UPSTREAM_IP = tb.controllerIp;
const OTHER = tb.controllerIp.replace(/\.1$/, '.99');
const UPSTREAM = `nameserver ${UPSTREAM_IP}\noptions rotate timeout:1\n`;
const TOKEN_FILE = '/data/bkce/etc/consul/tokens/cli.token';
const CONSUL = `CONSUL_HTTP_ADDR=127.0.0.1:8500 CONSUL_HTTP_TOKEN_FILE=${TOKEN_FILE} /data/bkce/service/consul/consul`;
const PROBE_PORT = randomInt(20000, 30000);

let root: string;
let dns: TestDns | undefined;
let probePid = '';

const onHost = (i: number, script: string) => onHostOf(tb, i, script);
const sh = async (i: number, script: string): Promise<string> => {
  const r = await onHost(i, script);
  if (r.code !== 0) throw new Error(`host ${i}: exit ${r.code}: ${r.stderr || r.stdout}\nscript: ${script}`);
  return r.stdout;
};
/** What the system resolver of host i answers for `name` (getent; empty when it does not resolve). */
const resolves = async (i: number, name: string): Promise<string> =>
  (await onHost(i, `getent hosts ${name}`)).stdout.trim();
const startProbe = async () => {
  const js = `require('net').createServer((s) => s.end()).listen(${PROBE_PORT}, '${ip(2)}')`;
  probePid = (
    await sh(2, `setsid ${process.execPath} -e "${js}" </dev/null >/dev/null 2>&1 & echo $!`)
  ).trim();
};

/** Stops our supervisord (and with it consul), removes the install root, sets the upstream resolver. */
const cleanHost = (i: number) =>
  sh(
    i,
    `c=/data/bkce/etc/supervisord.conf
if [ -f $c ]; then supervisorctl -c $c shutdown >/dev/null 2>&1 || true; fi
for n in $(seq 100); do pgrep -x consul >/dev/null || pgrep -x supervisord >/dev/null || break; sleep 0.1; done
rm -rf /data/bkce
printf '${UPSTREAM}' > /etc/resolv.conf`,
  );

/** Event counts of a `--json` run, its failures and its status lines. */
function outcomes(r: Ran): { counts: Record<string, number>; failures: string[]; status: string[] } {
  const events = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  return {
    counts: events.find((e) => e.type === 'run-end')?.counts ?? {},
    failures: events
      .filter((e) => e.type === 'failure')
      .map((e) => `${e.host} ${e.step}: ${e.stderrTail.join(' | ')}`),
    status: events.filter((e) => e.type === 'status').map((e) => `${e.host} ${e.text}`),
  };
}

/** `bkcec -C dir --json ARGS`, throwing with the failures when it does not succeed. */
async function bk(dir: string, ...args: string[]) {
  const o = await bkAny(dir, ...args);
  if (o.code !== 0)
    throw new Error(`bkcec ${args.join(' ')} exited ${o.code}: ${o.failures.join('\n') || o.stderr}`);
  return o;
}

/** `bkcec -C dir --json ARGS`: exit code, outcomes and wall time. */
async function bkAny(dir: string, ...args: string[]) {
  const started = Date.now();
  const r = await bkcec('-C', dir, '--json', ...args);
  return { code: r.code, stderr: r.stderr, ...outcomes(r), ms: Date.now() - started };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'bkcec-consul-bed-'));
  await tb.up(4);
  await Promise.all(HOSTS.map(cleanHost));
  dns = await startTestDns(UPSTREAM_IP, 53, 'example.test', OTHER);
}, 300_000);

afterAll(async () => {
  await tb.down();
  await dns?.close();
  rmSync(root, { recursive: true, force: true });
}, 300_000);

describe('consul on one host', () => {
  it('runs one server that answers DNS', async () => {
    const dir = join(root, 'single');
    await tb.ctrl(dir, '4=consul');
    await bk(dir, 'sync', 'consul');
    await bk(dir, 'install', 'consul');
    await bk(dir, 'start', 'consul');
    const members = await sh(4, `${CONSUL} members`);
    expect(members).toMatch(new RegExp(`bk-${ip(4).replace(/\./g, '-')}\\s+\\S+:8301\\s+alive\\s+server`));
    expect(await resolves(4, 'consul.service.consul')).toMatch(at(4));
    expect(await resolves(4, 'one.example.test')).toMatch(line(OTHER, `one.example.test`));
  }, 300_000);
});

describe('consul on 3 servers + 1 client', () => {
  const dir = () => join(root, 'four');
  // The single-host test leaves its agent on host 4.
  beforeAll(() => cleanHost(4), 60_000);

  it('installs and starts from a clean state', async () => {
    // license on host 2 only for its ACL token: the probe below registers as `license` there.
    await tb.ctrl(dir(), '1=consul 2=consul,license 3=consul 4=redis');
    const sync = await bk(dir(), 'sync', 'consul');
    const install = await bk(dir(), 'install', 'consul');
    const start = await bk(dir(), 'start', 'consul');
    console.log(`consul on 4 hosts: sync ${sync.ms} ms, install ${install.ms} ms, start ${start.ms} ms`);
    expect([install.counts.failed, start.counts.failed]).toEqual([0, 0]);
  }, 300_000);

  it('has 3 servers and 1 client, all alive, seen from every host', async () => {
    for (const i of HOSTS) {
      const rows = (await sh(i, `${CONSUL} members`)).trim().split('\n').slice(1);
      expect(rows.filter((r) => /\salive\s+server\s/.test(r))).toHaveLength(3);
      expect(rows.filter((r) => /\salive\s+client\s/.test(r))).toHaveLength(1);
      expect(rows).toHaveLength(4);
    }
  });

  it('points each resolver at the agent first, keeps the upstream, drops rotate, keeps the key secret', async () => {
    for (const i of HOSTS) {
      expect(await sh(i, 'cat /etc/resolv.conf')).toBe(
        `nameserver 127.0.0.1\nnameserver ${UPSTREAM_IP}\noptions timeout:1\n`,
      );
      expect(await sh(i, 'cat /data/bkce/etc/resolv.conf.bkcec-orig')).toBe(UPSTREAM);
      const modes = await sh(
        i,
        `stat -c '%a %U:%G' /data/bkce/etc/consul.d/consul.json /data/bkce/etc/consul.d/acl.json /data/bkce/etc/consul.json.staged ${TOKEN_FILE} /data/bkce/public/consul`,
      );
      expect(modes).toBe(
        '640 root:consul\n640 root:consul\n600 root:root\n600 root:root\n700 consul:consul\n',
      );
      expect(
        (
          await onHost(
            i,
            'setpriv --reuid=nobody --regid=nogroup --clear-groups cat /data/bkce/etc/consul.d/acl.json',
          )
        ).code,
      ).not.toBe(0);
    }
  });

  it('resolves a service registered on host 2 through the helper on every host, and ordinary names too', async () => {
    await startProbe();
    const vars = { INSTALL_PATH: '/data/bkce', LAN_IP: ip(2), CONSUL_HTTP_PORT: '8500' };
    const step = consulServiceStep(vars, {
      name: 'license',
      port: PROBE_PORT,
      check: { tcp: true },
      interval: '1s',
    });
    await sh(2, compileScript([step]));
    for (const i of HOSTS) {
      await within(15_000, `license.service.consul to resolve on host ${i}`, async () =>
        at(2).test(await resolves(i, 'license.service.consul')),
      );
      expect(await resolves(i, `h${i}.example.test`)).toMatch(line(OTHER, `h${i}.example.test`));
    }
    expect(dns?.queries).toContain('h4.example.test');
  });

  it('runs every agent as user consul, port 53 through a file capability', async () => {
    for (const i of HOSTS) {
      expect((await sh(i, 'ps -C consul -o user=,args=')).trim()).toMatch(
        /^consul\s+\/data\/bkce\/service\/consul\/consul agent /,
      );
      expect(await sh(i, 'getcap /data/bkce/service/consul/consul')).toMatch(/cap_net_bind_service[=+]ep/);
      expect(await sh(i, "ss -Hlnup 'sport = :53'")).toContain('"consul"');
    }
  });

  it('refuses a fake registration without a token, with the agent token and with another service token', async () => {
    const register = (name: string, tokenFile?: string) =>
      sh(
        4,
        `${tokenFile ? `printf 'X-Consul-Token: %s\\n' "$(cat ${tokenFile})" > /tmp/h; ` : ': > /tmp/h; '}curl -s -o /tmp/out -w '%{http_code}' -X PUT -H @/tmp/h --data '{"Name":"${name}","Port":22,"Address":"${ip(4)}","Check":{"TCP":"${ip(4)}:22","Interval":"1s"}}' http://127.0.0.1:8500/v1/agent/service/register`,
      );
    for (const name of ['license', 'mysql']) {
      expect(await register(name)).toBe('403');
      expect(await register(name, TOKEN_FILE)).toBe('403');
      expect(await register(name, '/data/bkce/etc/consul/tokens/service-redis.token')).toBe('403');
    }
    // Nobody but root reads the tokens on a host.
    const nobody = await onHost(
      4,
      'setpriv --reuid=nobody --regid=nogroup --clear-groups cat /data/bkce/etc/consul/tokens/service-redis.token',
    );
    expect(nobody.code).not.toBe(0);
    await new Promise((r) => setTimeout(r, 2000));
    for (const i of HOSTS) {
      const catalog = JSON.parse(await sh(i, 'curl -s http://127.0.0.1:8500/v1/catalog/service/license'));
      expect(catalog.map((e: { ServiceAddress: string }) => e.ServiceAddress)).toEqual([ip(2)]);
      expect(JSON.parse(await sh(i, 'curl -s http://127.0.0.1:8500/v1/catalog/service/mysql'))).toEqual([]);
      expect(
        (await sh(i, 'getent ahostsv4 license.service.consul'))
          .trim()
          .split('\n')
          .map((l) => l.split(/\s+/)[0]),
      ).toEqual(expect.arrayContaining([ip(2)]));
      expect(await sh(i, 'getent ahostsv4 license.service.consul')).not.toContain(ip(4));
    }
  });

  it('drops the service from DNS when its check fails, and takes it back when it passes', async () => {
    await sh(2, `kill ${probePid}`);
    const gone = await within(10_000, 'license.service.consul to stop resolving everywhere', async () =>
      (await Promise.all(HOSTS.map((i) => resolves(i, 'license.service.consul')))).every((a) => a === ''),
    );
    console.log(`probe left DNS on every host ${gone} ms after its listener died (check interval 1 s)`);
    expect(gone).toBeLessThan(5_000);
    await startProbe();
    await within(10_000, 'license.service.consul to resolve again', async () =>
      at(2).test(await resolves(1, 'license.service.consul')),
    );
  });

  it('changes nothing when install and start run again', async () => {
    const install = await bk(dir(), 'install', 'consul');
    const start = await bk(dir(), 'start', 'consul');
    console.log(`re-run: install ${install.ms} ms, start ${start.ms} ms`);
    expect([install.counts.changed, start.counts.changed]).toEqual([0, 0]);
    expect([install.counts.failed, start.counts.failed]).toEqual([0, 0]);
  }, 120_000);

  it('reports one status line per host', async () => {
    const s = await bk(dir(), 'status', 'consul');
    expect(s.status).toHaveLength(4);
    const leader = `leader ${tb.controllerIp.replace(/\.1$/, '').replace(/\./g, '\\.')}\\.1[123]`;
    for (const line of s.status) {
      expect(line).toMatch(
        new RegExp(`consul: agent RUNNING \\((server|client)\\), ${leader}, members 4/4 alive`),
      );
    }
    expect(s.status.find((l) => l.startsWith(`${ip(2)} `))).toContain('license=passing');
  });

  it('stops the client, says so in status, and starts it again', async () => {
    const stop = await bk(dir(), 'stop', 'consul', '--limit', ip(4));
    expect(stop.counts.changed).toBe(1);
    const s = await bkAny(dir(), 'status', 'consul', '--limit', ip(4));
    expect(s.code).toBe(1);
    expect(s.status).toEqual([`${ip(4)} consul: agent STOPPED (client)`]);
    const again = await bk(dir(), 'stop', 'consul', '--limit', ip(4));
    expect(again.counts.changed).toBe(0);
    await bk(dir(), 'start', 'consul', '--limit', ip(4));
    expect(await resolves(4, 'license.service.consul')).toMatch(at(2));
  }, 120_000);

  it('keeps a leader and DNS when a server dies, and takes it back after a restart', async () => {
    await tb.kill(3);
    for (const i of [1, 2, 4]) {
      await within(20_000, `host ${i} to see a leader without host 3`, async () => {
        return (await onHost(i, `${CONSUL} operator raft list-peers | grep -q ' leader '`)).code === 0;
      });
      expect(await resolves(i, 'license.service.consul')).toMatch(at(2));
      expect(await resolves(i, `k${i}.example.test`)).toMatch(line(OTHER, `k${i}.example.test`));
    }
    await tb.restart(3);
    await bk(dir(), 'start', 'consul', '--limit', ip(3));
    await within(20_000, 'host 3 to see 4 members alive', async () => {
      const out = (await onHost(3, `${CONSUL} members`)).stdout;
      return (out.match(/\salive\s/g) ?? []).length === 4;
    });
    expect(await sh(1, `${CONSUL} operator raft list-peers`)).toContain(`${ip(3)}:8300`);
    await within(10_000, 'license.service.consul to resolve on host 3 again', async () =>
      at(2).test(await resolves(3, 'license.service.consul')),
    );
  }, 180_000);
});
