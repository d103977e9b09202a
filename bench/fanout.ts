// Fan-out: `bkcec status all` across N testbed hosts (default 16) running a Consul agent each,
// next to the floor (one `supervisorctl status` per host over a reused OpenSSH connection, all
// hosts in parallel), measured in the same run.
//   node --import tsx bench/fanout.ts [--hosts 16] [--reps 5]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repo, testbedUp } from './lib/testbed';
import { median, secs, table, timed } from './lib/timing';

const { values } = parseArgs({
  options: { hosts: { type: 'string', default: '16' }, reps: { type: 'string', default: '5' } },
});
const n = Number(values.hosts);
const reps = Number(values.reps);
const e = testbedUp(n);
const work = mkdtempSync(join(tmpdir(), 'bkcec-fanout-'));
const ctrl = join(work, 'ctrl');
// One consul server on host 1 (with the single-host modules it needs), consul clients everywhere else.
const layout = e.ips.map((ip, i) => `${ip}=${i === 0 ? 'consul,mysql,redis,nginx' : 'paas'}`).join(' ');
execFileSync('node', [join(repo, 'bin', 'bkcec.mjs'), '-C', ctrl, 'init', '--layout', layout], {
  stdio: 'ignore',
});
writeFileSync(
  join(ctrl, 'globals.env'),
  `export BK_SSH_KEY=${e.key}\nexport BK_SSH_KNOWN_HOSTS=${e.knownHosts}\n`,
  { flag: 'a' },
);
const bkcec = (...args: string[]) =>
  timed('node', [join(repo, 'bin', 'bkcec.mjs'), '-C', ctrl, ...args], { cwd: repo });
await bkcec('sync', 'consul');
await bkcec('install', 'consul');
await bkcec('start', 'consul');

const ssh = (ip: string, sock: string) => [
  '-i',
  e.key,
  '-o',
  `UserKnownHostsFile=${e.knownHosts}`,
  '-o',
  'BatchMode=yes',
  '-S',
  sock,
  `root@${ip}`,
];
const socks = e.ips.map((ip) => join(work, `cm-${ip}`));
for (const [i, ip] of e.ips.entries()) {
  execFileSync('ssh', ['-o', 'ControlMaster=yes', '-o', 'ControlPersist=300', '-fN', ...ssh(ip, socks[i]!)]);
}
const floor = async () => {
  const t = performance.now();
  await Promise.all(
    e.ips.map((ip, i) =>
      timed('ssh', [...ssh(ip, socks[i]!), 'supervisorctl -c /data/bkce/etc/supervisord.conf status']).catch(
        () => 0,
      ),
    ),
  );
  return performance.now() - t;
};
const status: number[] = [];
const base: number[] = [];
for (let r = 0; r < reps; r++) {
  base.push(await floor());
  status.push(await bkcec('status', 'all'));
}
for (const [i, ip] of e.ips.entries())
  execFileSync('ssh', ['-O', 'exit', ...ssh(ip, socks[i]!)], { stdio: 'ignore' });
await bkcec('stop', 'all');
console.log(`Fan-out: status of every installed module on ${n} testbed hosts, median of ${reps}, seconds.\n`);
console.log(
  table(
    [
      'hosts',
      'floor (parallel ssh, open connections)',
      'bkcec status all (incl. start and connect)',
      'ratio',
    ],
    [[n, secs(median(base)), secs(median(status)), `${(median(status) / median(base)).toFixed(1)}×`]],
  ),
);
rmSync(work, { recursive: true, force: true });
