// `bkcec deploy` of the whole chain: from scratch, then the no-change re-run, on 1 host (this machine
// alone, in a private namespace: test/e2e/support/solo.sh) and on 3 testbed hosts made fresh (down,
// then up). Prints wall time and each module's share, from the engine's --json phase events.
//   node --import tsx bench/deploy.ts [--hosts 1,3]
// Targets (DESIGN §7): from scratch ≤ 60 s on 1 host, ≤ 90 s on 3; a no-change re-run ≤ 3 s on 3.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { EngineEvent } from '../src/engine/events';
import { changedSteps, msPerModule, parseEvents, runEnd } from '../test/e2e/support/events';
import { repo } from './lib/testbed';
import { secs, table } from './lib/timing';

const { values } = parseArgs({ options: { hosts: { type: 'string', default: '1,3' } } });
const counts = values.hosts!.split(',').map(Number);
const MODULES = ['all', 'consul', 'license', 'mysql', 'redis', 'nginx', 'paas'];
const LAYOUT3 = '1=nginx,consul 2=mysql,consul,license 3=redis,paas,consul';
// The CLI from sources: the dist/cli bundle cannot find module templates yet.
const bkcec = join(repo, 'test', 'e2e', 'support', 'cli.ts');
const testbed = (...a: string[]) =>
  execFileSync(join(repo, 'tools', 'testbed', 'testbed'), a, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });

interface Run {
  label: string;
  events: EngineEvent[];
}

/** 1 host: build, init, deploy twice inside a private namespace; the --json outputs come back as files. */
function single(): Run[] {
  const dir = `/srv/bkcec-bench-deploy-${process.pid}`;
  rmSync(dir, { recursive: true, force: true });
  const script = `set -e; cd ${repo}
BKCEC_PKG=/data/pkg node scripts/build.mjs > /dev/null
node --import tsx test/e2e/support/cli.ts -C /data/ctrl init > /dev/null
node --import tsx test/e2e/support/cli.ts -C /data/ctrl --pkg /data/pkg --json deploy > /data/d1.jsonl || true
node --import tsx test/e2e/support/cli.ts -C /data/ctrl --pkg /data/pkg --json deploy > /data/d2.jsonl || true`;
  execFileSync(join(repo, 'test', 'e2e', 'support', 'solo.sh'), [dir, 'bash', '-c', script], {
    stdio: 'inherit',
  });
  const read = (f: string) => parseEvents(readFileSync(join(dir, 'data', f), 'utf8'));
  const runs = [
    { label: '1 host, from scratch', events: read('d1.jsonl') },
    { label: '1 host, no change', events: read('d2.jsonl') },
  ];
  rmSync(dir, { recursive: true, force: true });
  return runs;
}

/** 3 fresh testbed hosts: deploy twice from the controller over SSH. */
function three(): Run[] {
  const dir = `/srv/bkcec-bench-deploy3-${process.pid}`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  testbed('down');
  testbed('up', '3');
  testbed('ctrl', join(dir, 'ctrl'), LAYOUT3);
  execFileSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], {
    env: { ...process.env, BKCEC_PKG: join(dir, 'pkg') },
    stdio: 'ignore',
  });
  const deploy = () => {
    const args = [
      '--import',
      'tsx',
      bkcec,
      '-C',
      join(dir, 'ctrl'),
      '--pkg',
      join(dir, 'pkg'),
      '--json',
      'deploy',
    ];
    try {
      return parseEvents(execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 }));
    } catch (err) {
      return parseEvents(String((err as { stdout?: string }).stdout ?? ''));
    }
  };
  const runs = [
    { label: '3 hosts, from scratch', events: deploy() },
    { label: '3 hosts, no change', events: deploy() },
  ];
  testbed('down');
  rmSync(dir, { recursive: true, force: true });
  return runs;
}

const runs: Run[] = [...(counts.includes(1) ? single() : []), ...(counts.includes(3) ? three() : [])];
const rows = runs.map(({ label, events }) => {
  const end = runEnd(events);
  const per = msPerModule(events);
  const status = end?.ok ? `ok, ${changedSteps(events).length} changed` : 'FAILED';
  return [
    label,
    end ? secs(end.ms) : '?',
    ...MODULES.map((m) => (per[m] === undefined ? '-' : secs(per[m]!))),
    status,
  ];
});
console.log(table(['run', 'total s', 'sync', ...MODULES.slice(1), 'result'], rows));
