// A rolling `restart consul` of 3 servers on the testbed while a client host asks its agent for
// consul.service.consul every 50 ms: not one query may fail or come back empty.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bkcec, onHost as onHostOf } from '../../../test/support/consul-bed';
import { Testbed } from '../../../tools/testbed/lib';

const tb = new Testbed(Number(process.env.BKCEC_TESTBED_INSTANCE ?? 86));
const SERVERS = [1, 2, 3];
const CLIENT = 4;
const ip = (i: number) => tb.hostIp(i);
const LOOP = '/tmp/dns-loop';

let root: string;
const sh = async (i: number, script: string): Promise<string> => {
  const r = await onHostOf(tb, i, script);
  if (r.code !== 0) throw new Error(`host ${i}: exit ${r.code}: ${r.stderr || r.stdout}`);
  return r.stdout;
};

async function bk(dir: string, ...args: string[]) {
  const r = await bkcec('-C', dir, '--json', ...args);
  const events = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  const failures = events
    .filter((e) => e.type === 'failure')
    .map((e) => `${e.host} ${e.step}: ${e.stderrTail.join(' | ')}`);
  if (r.code !== 0)
    throw new Error(`bkcec ${args.join(' ')} exited ${r.code}: ${failures.join('\n') || r.stderr}`);
  return events;
}

/** The agent's pid on host i (supervisor's child). */
const agentPid = async (i: number) => (await sh(i, 'pgrep -x consul')).trim();

// Node on the host: resolve4 against the local agent only, every 50 ms, until the stop file appears.
const loopJs = `const { Resolver } = require('node:dns').promises; const fs = require('node:fs');
const r = new Resolver({ timeout: 2000, tries: 1 }); r.setServers(['127.0.0.1']);
let n = 0; const bad = []; (async () => {
  while (!fs.existsSync('${LOOP}.stop')) {
    const t = Date.now();
    try { const a = await r.resolve4('consul.service.consul'); if (!a.length) bad.push([t, 'empty']); } catch (e) { bad.push([t, e.code]); }
    n++; await new Promise((ok) => setTimeout(ok, 50));
  }
  fs.writeFileSync('${LOOP}.json', JSON.stringify({ n, bad }));
})();`;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'bkcec-consul-roll-'));
  await tb.up(4);
}, 300_000);

afterAll(async () => {
  await tb.down();
  rmSync(root, { recursive: true, force: true });
}, 300_000);

describe('rolling consul restart', () => {
  const dir = () => join(root, 'ctrl');

  it('restarts the 3 servers one at a time, leader last, while a client resolves without one failure', async () => {
    await tb.ctrl(dir(), '1=consul 2=consul 3=consul 4=redis');
    for (const c of ['sync', 'install', 'start']) await bk(dir(), c, 'consul');
    const leaderBefore = (
      await sh(
        1,
        `CONSUL_HTTP_TOKEN_FILE=/data/bkce/etc/consul/tokens/cli.token /data/bkce/service/consul/consul operator raft list-peers | awk '$4 == "leader" {sub(/:.*/, "", $3); print $3}'`,
      )
    ).trim();
    expect(SERVERS.map(ip)).toContain(leaderBefore);
    const pidsBefore = await Promise.all(SERVERS.map(agentPid));

    await sh(
      CLIENT,
      `rm -f ${LOOP}.*; setsid ${process.execPath} -e "${loopJs.replace(/"/g, '\\"')}" </dev/null >/dev/null 2>&1 &`,
    );
    await new Promise((r) => setTimeout(r, 1000));
    const started = Date.now();
    const events = await bk(dir(), '--limit', SERVERS.map(ip).join(','), 'restart', 'consul');
    const ms = Date.now() - started;
    await new Promise((r) => setTimeout(r, 1000));
    await sh(
      CLIENT,
      `touch ${LOOP}.stop; for i in $(seq 50); do [ -f ${LOOP}.json ] && break; sleep 0.1; done`,
    );
    const loop = JSON.parse(await sh(CLIENT, `cat ${LOOP}.json`)) as { n: number; bad: [number, string][] };
    console.log(
      `rolling restart of 3 servers: ${ms} ms; client DNS queries: ${loop.n}, failed: ${loop.bad.length}`,
    );

    // Every server was restarted, one phase wave each, the leader's last.
    const pidsAfter = await Promise.all(SERVERS.map(agentPid));
    for (const [k, pid] of pidsAfter.entries()) expect(pid).not.toBe(pidsBefore[k]);
    const order = events
      .filter((e) => e.type === 'step' && e.step === 'restart' && e.outcome === 'changed')
      .map((e) => e.host);
    expect(order).toHaveLength(3);
    expect(order.at(-1)).toBe(leaderBefore);
    // The client saw no failure and answers kept coming.
    expect(loop.bad).toEqual([]);
    expect(loop.n).toBeGreaterThan(ms / 200);
    // And the cluster is whole again: 3 voters.
    const peers = await sh(
      1,
      'CONSUL_HTTP_TOKEN_FILE=/data/bkce/etc/consul/tokens/cli.token /data/bkce/service/consul/consul operator raft list-peers',
    );
    // Columns: Node, ID, Address, State, Voter, RaftProtocol.
    const voters = peers
      .trim()
      .split('\n')
      .slice(1)
      .filter((l) => l.trim().split(/\s+/)[4] === 'true');
    expect(voters).toHaveLength(3);
  }, 300_000);
});
