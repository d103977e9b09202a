// The /download/ miniweb as a new host uses it: h1 runs nginx and the only Consul server, h2 is not
// in install.config and fetches readiness.sh over the network and runs it, as an operator would.
// Needs root and tools/testbed (skipped otherwise); uses the testbed BKCEC_TESTBED_INSTANCE selects.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bkcec, globalValue, onHost as onHostOf } from '../../../test/support/testbed-cli';
import { Testbed } from '../../../tools/testbed/lib';
import { repoRoot } from '../../paths';

const root = process.getuid?.() === 0;
const tb = new Testbed();
const onHost = (i: number, script: string) => onHostOf(tb.instance, i, script);
let dir: string;

/** h2 fetching and running the readiness check from h1's miniweb. */
const readiness = () => {
  const base = `http://${tb.hostIp(1)}/download`;
  return onHost(2, `curl -fsS ${base}/readiness.sh | bash -s -- ${base}`);
};

beforeAll(async () => {
  if (!root) return;
  await tb.up(2);
  dir = mkdtempSync(join(tmpdir(), 'bkcec-miniweb-'));
  await tb.ctrl(dir, '1=nginx,consul');
  for (const cmd of [
    'sync consul',
    'install consul',
    'start consul',
    'sync nginx',
    'install nginx',
    'start nginx',
  ]) {
    const r = bkcec(dir, ...cmd.split(' '));
    expect(r.code, `bkcec ${cmd}: ${JSON.stringify(r.events.filter((e) => e.type === 'failure'))}`).toBe(0);
  }
}, 600_000);
afterAll(async () => {
  if (!root) return;
  await tb.down();
  rmSync(dir, { recursive: true, force: true });
}, 300_000);

describe.skipIf(!root)('miniweb on a testbed', () => {
  it('serves the package miniweb and platform.env, with no secret in it', () => {
    const base = `http://${tb.hostIp(1)}/download`;
    const lib = onHost(2, `curl -fsS ${base}/functions`);
    expect(lib.stdout).toBe(readFileSync(join(repoRoot, 'platform', 'miniweb', 'functions'), 'utf8'));
    const env = onHost(2, `curl -fsS ${base}/platform.env`).stdout;
    expect(env).toContain(`BK_CONSUL_SERVERS=${tb.hostIp(1)}\n`);
    for (const s of ['MYSQL_PASS', 'REDIS_PASS', 'CONSUL_ENCRYPT', 'ESB_TOKEN', 'PAAS_ADMIN_PASS'])
      expect(env).not.toContain(globalValue(dir, s));
    // The install root's other files stay out of reach.
    expect(
      onHost(2, `curl -s -o /dev/null -w '%{http_code}' --path-as-is ${base}/../etc/nginx.conf`).stdout,
    ).toBe('404');
  });

  it('says a host that reaches the platform is ready', () => {
    const r = readiness();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`ok    consul server ${tb.hostIp(1)}:8301 reachable\n`);
    expect(r.stdout).toContain('ok    port 8301 free\n');
    expect(r.stdout).toContain(`ok    front door ${tb.hostIp(1)}:80 reachable\n`);
    expect(r.stdout).toMatch(/ok {4}clock within \d+s of /);
    expect(r.stdout).toContain(`ready to join the platform at ${tb.hostIp(1)}\n`);
  });

  it('fails a host whose Consul port is taken or that cannot reach the server', () => {
    onHost(
      2,
      'setsid python3 -m http.server 8301 --bind 0.0.0.0 >/dev/null 2>&1 < /dev/null & echo $! > /tmp/bk-l.pid; sleep 1',
    );
    try {
      const r = readiness();
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(
        "FAIL  expected TCP port 8301 free (the platform's agents use it), found a listener\n",
      );
      expect(r.stdout).toContain('not ready: 1 check(s) failed\n');
    } finally {
      onHost(2, 'kill "$(cat /tmp/bk-l.pid)"; rm -f /tmp/bk-l.pid');
    }
    // Consul on h1 stopped: its gossip port no longer answers.
    expect(bkcec(dir, 'stop', 'consul').code).toBe(0);
    const r = readiness();
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `FAIL  expected consul server ${tb.hostIp(1)} to accept TCP 8301, found no answer`,
    );
  });
});
