// Orchestration overhead, side by side (issues 2 and 11): K idempotent steps on M testbed hosts,
// done by bkcec, by Ansible (tuned as its users tune it), and by one batched shell script per
// host over a reused OpenSSH connection (the floor). Prints medians and ratios per cell.
//   node --import tsx bench/orchestration.ts [--hosts 1,3,8] [--steps 10,50] [--reps 3] [--no-ansible]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { onHosts, repo, testbedUp } from './lib/testbed';
import { median, secs, table, timed } from './lib/timing';
import { floorScript, playbook, ROOT } from './lib/workload';

const { values } = parseArgs({
  options: {
    hosts: { type: 'string', default: '1,3,8' },
    steps: { type: 'string', default: '10,50' },
    reps: { type: 'string', default: '3' },
    'no-ansible': { type: 'boolean', default: false },
  },
});
const hostCounts = values.hosts!.split(',').map(Number);
const stepCounts = values.steps!.split(',').map(Number);
const reps = Number(values.reps);
const work = mkdtempSync(join(tmpdir(), 'bkcec-bench-'));

type Env = ReturnType<typeof testbedUp>;
const sshOpts = (e: Env, sock: string) => [
  '-i',
  e.key,
  '-o',
  `UserKnownHostsFile=${e.knownHosts}`,
  '-o',
  'StrictHostKeyChecking=yes',
  '-o',
  'BatchMode=yes',
  '-S',
  sock,
];

/** One batched script per host, in parallel, over an already open ControlMaster connection. */
async function floor(e: Env, ips: string[], k: number): Promise<number> {
  const socks = ips.map((ip) => join(work, `cm-${ip}`));
  for (const [i, ip] of ips.entries())
    execFileSync('ssh', [
      ...sshOpts(e, socks[i]!),
      '-o',
      'ControlMaster=yes',
      '-o',
      'ControlPersist=120',
      '-fN',
      `root@${ip}`,
    ]);
  const started = performance.now();
  await Promise.all(
    ips.map((ip, i) =>
      timed('ssh', [...sshOpts(e, socks[i]!), `root@${ip}`, 'sh', '-s'], { input: floorScript(ip, k) }),
    ),
  );
  const ms = performance.now() - started;
  for (const [i, ip] of ips.entries())
    execFileSync('ssh', [...sshOpts(e, socks[i]!), '-O', 'exit', `root@${ip}`], { stdio: 'ignore' });
  return ms;
}

/** A control directory for the bench hosts (any valid layout: the bench module ignores modules). */
function bkcecControl(e: Env, ips: string[]): string {
  const dir = join(work, `ctrl-${ips.length}`);
  rmSync(dir, { recursive: true, force: true });
  const layout = ips
    .map(
      (ip, i) => `${ip}=${i === 0 ? 'consul,mysql,redis,nginx' + (ips.length === 1 ? ',paas' : '') : 'paas'}`,
    )
    .join(' ');
  execFileSync('node', [join(repo, 'bin', 'bkcec.mjs'), '-C', dir, 'init', '--layout', layout], {
    stdio: 'ignore',
  });
  writeFileSync(
    join(dir, 'globals.env'),
    `export BK_SSH_KEY=${e.key}\nexport BK_SSH_KNOWN_HOSTS=${e.knownHosts}\n`,
    { flag: 'a' },
  );
  return dir;
}

// The bench's bkcec command, bundled like bin/bkcec.mjs's (npm packages stay in node_modules).
const cli = join(repo, 'dist', 'bench', 'bkcec-cli.mjs');
await build({
  entryPoints: [join(repo, 'bench', 'lib', 'bkcec-cli.ts')],
  outfile: cli,
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});
const bkcec = (dir: string, k: number, extra: string[] = []) =>
  timed('node', [cli, '-C', dir, '--pkg', work, ...extra, 'install', 'bench'], {
    env: { ...process.env, BENCH_K: String(k), BKCEC_FORCE_SSH: '1' },
    cwd: repo,
  });

function ansibleProject(e: Env, ips: string[], k: number): string {
  const dir = join(work, `ansible-${ips.length}-${k}`);
  mkdirSync(join(dir, 'templates'), { recursive: true });
  const pb = playbook(k);
  writeFileSync(join(dir, 'site.yml'), pb.playbook.replace(/src: (f\d+\.j2)/g, 'src: templates/$1'));
  for (const [name, text] of Object.entries(pb.templates)) writeFileSync(join(dir, 'templates', name), text);
  writeFileSync(join(dir, 'hosts'), `${ips.map((ip) => `${ip} ansible_user=root`).join('\n')}\n`);
  writeFileSync(
    join(dir, 'ansible.cfg'),
    `[defaults]\ninventory = hosts\nforks = ${ips.length}\nhost_key_checking = True\nprivate_key_file = ${e.key}\ngathering = explicit\nretry_files_enabled = False\ninterpreter_python = /usr/bin/python3\n` +
      `[ssh_connection]\npipelining = True\nssh_args = -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=${e.knownHosts}\n`,
  );
  return dir;
}
const ansible = (dir: string) =>
  timed('ansible-playbook', ['site.yml'], {
    cwd: dir,
    env: { ...process.env, ANSIBLE_CONFIG: join(dir, 'ansible.cfg') },
  });

const rows: (string | number)[][] = [];
for (const m of hostCounts) {
  const e = testbedUp(m);
  const ips = e.ips;
  for (const k of stepCounts) {
    const t: Record<string, number[]> = {
      floorFirst: [],
      floorRe: [],
      bFirst: [],
      bRe: [],
      bScratch: [],
      aFirst: [],
      aRe: [],
    };
    for (let r = 0; r < reps; r++) {
      onHosts(ips, `rm -rf ${ROOT}`);
      t.floorFirst!.push(await floor(e, ips, k));
      t.floorRe!.push(await floor(e, ips, k));
      onHosts(ips, `rm -rf ${ROOT}`);
      const dir = bkcecControl(e, ips);
      t.bFirst!.push(await bkcec(dir, k));
      t.bRe!.push(await bkcec(dir, k));
      t.bScratch!.push(await bkcec(dir, k, ['--from-scratch']));
      if (!values['no-ansible']) {
        onHosts(ips, `rm -rf ${ROOT}`);
        const adir = ansibleProject(e, ips, k);
        t.aFirst!.push(await ansible(adir));
        t.aRe!.push(await ansible(adir));
      }
    }
    const md = Object.fromEntries(
      Object.entries(t).map(([key, xs]) => [key, xs.length ? median(xs) : Number.NaN]),
    );
    const ratio = (a: number, b: number) =>
      Number.isNaN(a) || Number.isNaN(b) ? '–' : `${(a / b).toFixed(1)}×`;
    rows.push([
      m,
      k,
      secs(md.floorFirst!),
      secs(md.bFirst!),
      ratio(md.bFirst!, md.floorFirst!),
      Number.isNaN(md.aFirst!) ? '–' : secs(md.aFirst!),
      ratio(md.aFirst!, md.bFirst!),
      secs(md.floorRe!),
      secs(md.bRe!),
      secs(md.bScratch!),
      ratio(md.bScratch!, md.floorRe!),
      Number.isNaN(md.aRe!) ? '–' : secs(md.aRe!),
      ratio(md.aRe!, md.bScratch!),
    ]);
    process.stderr.write(`done M=${m} K=${k}\n`);
  }
}
console.log(
  `Orchestration overhead: K steps × M testbed hosts, median of ${reps}, seconds (wall, including process start).\n`,
);
console.log(
  table(
    [
      'M',
      'K',
      'floor first',
      'bkcec first',
      'bkcec/floor',
      'ansible first',
      'ansible/bkcec',
      'floor re-run',
      'bkcec re-run (journal)',
      'bkcec re-run (--from-scratch)',
      'scratch/floor',
      'ansible re-run',
      'ansible/bkcec scratch',
    ],
    rows,
  ),
);
rmSync(work, { recursive: true, force: true });
