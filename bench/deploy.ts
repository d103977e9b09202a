// `bkcec deploy` of the whole chain on fresh testbed hosts (down, then up): from scratch, then the
// no-change re-run, on 1 host (every module on it) and on 4 hosts (the e2e layout). Prints wall time,
// each module's share (from the engine's --json phase events) and the slowest steps, timed by when
// each event line arrived.
//   node --import tsx bench/deploy.ts [--hosts 1,4] [--steps 12]
// Targets (issue 22): from scratch ≤ 10 s on 1 host, ≤ 12 s on 4; a no-change re-run of 4 ≤ 1 s.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { EngineEvent } from '../src/engine/events';
import { repo } from './lib/testbed';
import { secs, table } from './lib/timing';

const { values } = parseArgs({
  options: { hosts: { type: 'string', default: '1,4' }, steps: { type: 'string', default: '12' } },
});
const counts = values.hosts!.split(',').map(Number);
const MODULES = ['all', 'consul', 'license', 'mysql', 'redis', 'nginx', 'paas'];
const LAYOUTS: Record<number, string> = {
  1: '1=nginx,consul,mysql,license,redis,paas',
  4: '1=nginx,consul 2=mysql,consul,license 3=redis,paas,consul 4=paas',
};
// The CLI from sources: the dist/cli bundle cannot find module templates yet.
const bkcec = join(repo, 'test', 'e2e', 'support', 'cli.ts');
const testbed = (...a: string[]) =>
  execFileSync(join(repo, 'tools', 'testbed', 'testbed'), a, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });

/** `--json` lines as events (anything else skipped). */
const parseEvents = (text: string): EngineEvent[] =>
  text.split('\n').flatMap((l) => {
    if (!l.startsWith('{')) return [];
    try {
      return [JSON.parse(l) as EngineEvent];
    } catch {
      return [];
    }
  });
const changedSteps = (events: readonly EngineEvent[]) =>
  events.filter((e) => e.type === 'step' && e.outcome === 'changed');
/** Wall time of each module's phases (ms), summed. */
function msPerModule(events: readonly EngineEvent[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) if (e.type === 'phase-end') out[e.module] = (out[e.module] ?? 0) + e.ms;
  return out;
}
function runEnd(events: readonly EngineEvent[]): { ok: boolean; ms: number } | undefined {
  const e = events.findLast((x) => x.type === 'run-end');
  return e && e.type === 'run-end' ? { ok: e.ok, ms: e.ms } : undefined;
}

interface Run {
  label: string;
  events: EngineEvent[];
  /** ms since the process started, per event (same index). */
  at: number[];
  /** Wall time of the whole command, process start included. */
  wall: number;
}

/** One `bkcec --json deploy`, each event stamped when its line arrived. */
function deploy(ctrl: string, pkg: string): Promise<Omit<Run, 'label'>> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', bkcec, '-C', ctrl, '--pkg', pkg, '--json', 'deploy'],
      {
        cwd: repo,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const events: EngineEvent[] = [];
    const at: number[] = [];
    let buf = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      buf += c;
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const e of parseEvents(lines.join('\n'))) {
        events.push(e);
        at.push(performance.now() - started);
      }
    });
    child.on('close', () => resolve({ events, at, wall: performance.now() - started }));
  });
}

async function onHosts(n: number): Promise<Run[]> {
  const dir = `/srv/bkcec-bench-deploy-${n}-${process.pid}`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  testbed('down');
  testbed('up', String(n));
  const ctrl = join(dir, 'ctrl');
  const pkg = join(dir, 'pkg');
  testbed('ctrl', ctrl, LAYOUTS[n]!);
  execFileSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], {
    env: { ...process.env, BKCEC_PKG: pkg },
    stdio: 'ignore',
  });
  const name = `${n} host${n > 1 ? 's' : ''}`;
  const first = await deploy(ctrl, pkg);
  const again = await deploy(ctrl, pkg);
  testbed('down');
  rmSync(dir, { recursive: true, force: true });
  return [
    { label: `${name}, from scratch`, ...first },
    { label: `${name}, no change`, ...again },
  ];
}

/** The slowest steps of a run: host, module, command, step, seconds. */
function slowest(run: Run, k: number): string[][] {
  return run.events
    .flatMap((e) => (e.type === 'step' && e.ms !== undefined ? [e] : []))
    .sort((a, b) => b.ms! - a.ms!)
    .slice(0, k)
    .map((e) => [e.host, `${e.module} ${e.command}`, e.step, secs(e.ms!)]);
}

/** Each phase's start and end (s since process start), per host count: where the wall time goes. */
function timeline(run: Run): string[][] {
  const open = new Map<string, number>();
  const rows: string[][] = [];
  run.events.forEach((e, i) => {
    if (e.type === 'phase-start') open.set(`${e.module} ${e.command}`, run.at[i]!);
    if (e.type === 'phase-end') {
      const key = `${e.module} ${e.command}`;
      rows.push([key, secs(open.get(key) ?? 0), secs(run.at[i]!), secs(e.ms)]);
    }
  });
  return rows;
}

const runs: Run[] = [];
for (const n of counts) runs.push(...(await onHosts(n)));
const rows = runs.map((run) => {
  const end = runEnd(run.events);
  const per = msPerModule(run.events);
  const status = end?.ok ? `ok, ${changedSteps(run.events).length} changed` : 'FAILED';
  return [
    run.label,
    secs(run.wall),
    end ? secs(end.ms) : '?',
    ...MODULES.map((m) => (per[m] === undefined ? '-' : secs(per[m]!))),
    status,
  ];
});
console.log(table(['run', 'wall s', 'engine s', 'sync', ...MODULES.slice(1), 'result'], rows));
for (const run of runs) {
  console.log(`\n${run.label}: phases (s since the command started)\n`);
  console.log(table(['phase', 'start', 'end', 'took'], timeline(run)));
  console.log(`\n${run.label}: slowest steps\n`);
  console.log(table(['host', 'phase', 'step', 's'], slowest(run, Number(values.steps))));
}
