import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoModule, localInventory } from '../../test/support/demo/demo';
import { LocalTransport } from '../transport/local';
import type { Transport } from '../transport/transport';
import { Engine, type EngineOptions } from './engine';
import type { EngineEvent } from './events';

let root: string;
let events: EngineEvent[];
let opened: string[];
/** `host identity|steps` for each script a transport ran. */
let scripts: string[];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'bkcec-engine-'));
  mkdirSync(join(root, 'pkg', 'demo'), { recursive: true });
  writeFileSync(join(root, 'pkg', 'demo', 'program.js'), 'console.log(1)\n');
  events = [];
  opened = [];
  scripts = [];
});
afterEach(async () => {
  // stop any demo process a test left running
  await engine(['127.0.0.1', '127.0.0.2', '127.0.0.3']).run('stop', 'all');
  rmSync(root, { recursive: true, force: true });
});

function engine(hosts: string[], extra: Partial<EngineOptions> = {}, modules = [demoModule('demo')]): Engine {
  const transports = new Map<string, Transport>();
  return new Engine({
    inventory: localInventory(
      join(root, 'ctrl'),
      join(root, 'hosts'),
      hosts,
      modules.map((m) => m.name),
    ),
    modules,
    pkgDir: join(root, 'pkg'),
    openTransport: async (h) => {
      opened.push(h);
      const t = transports.get(h) ?? countingTransport(h);
      transports.set(h, t);
      return t;
    },
    emit: (e) => events.push(e),
    ...extra,
  });
}

function countingTransport(h: string): Transport {
  const t = new LocalTransport(h);
  const run = t.run.bind(t);
  t.run = (script, o) => {
    scripts.push(`${h} ${script.includes('host-id') ? 'identity' : 'steps'}`);
    return run(script, o);
  };
  return t;
}

const steps = (outcome?: string) =>
  events.flatMap((e) =>
    e.type === 'step' && (!outcome || e.outcome === outcome)
      ? [`${e.host} ${e.module} ${e.command} ${e.step}`]
      : [],
  );
const home = (ip: string) => join(root, 'hosts', ip, 'demo');

describe('engine', () => {
  it('orders modules by their dependencies for deploy and all, and reverses for stop', async () => {
    const mods = [demoModule('c', ['b']), demoModule('a'), demoModule('b', ['a'])];
    for (const m of mods) mkdirSync(join(root, 'pkg', m.name));
    const e = engine(['127.0.0.1'], {}, mods);
    expect((await e.deploy()).ok).toBe(true);
    const phases = events.flatMap((x) => (x.type === 'phase-start' ? [`${x.command} ${x.module}`] : []));
    expect(phases).toEqual([
      'sync all',
      'install a',
      'start a',
      'install b',
      'start b',
      'install c',
      'start c',
    ]);
    events.length = 0;
    await e.run('stop', 'all');
    expect(events.flatMap((x) => (x.type === 'phase-start' ? [x.module] : []))).toEqual(['c', 'b', 'a']);
  });

  it('runs hosts in parallel, bounded by --parallel', async () => {
    const hosts = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];
    const overlap = async (parallel: number) => {
      rmSync(join(root, 'hosts'), { recursive: true, force: true });
      rmSync(join(root, 'ctrl'), { recursive: true, force: true });
      const demo = demoModule('demo');
      const install = demo.commands.install!;
      const slow = {
        ...install,
        steps: async (h: Parameters<typeof install.steps>[0]) =>
          (await install.steps(h)).map((s) => ({ ...s, env: { SLEEP: '0.4' } })),
      };
      await engine(hosts, { parallel }, [{ ...demo, commands: { ...demo.commands, install: slow } }]).run(
        'install',
        'demo',
      );
      const spans = hosts.map((ip) =>
        readFileSync(join(root, 'hosts', `trace-${ip}`), 'utf8')
          .match(/\d{10,}/g)!
          .map(Number),
      );
      spans.sort((x, y) => x[0]! - y[0]!);
      return spans.slice(1).some((s, i) => s[0]! < spans[i]![1]!);
    };
    expect(await overlap(3)).toBe(true);
    expect(await overlap(1)).toBe(false);
  });

  it('stops at a failure, reports host/step/command/code/output, and resumes at the failed step', async () => {
    const e = engine(['127.0.0.1']);
    mkdirSync(home('127.0.0.1'), { recursive: true });
    writeFileSync(join(home('127.0.0.1'), 'FAIL_INSTALL'), '');
    const first = await e.deploy();
    expect(first.ok).toBe(false);
    const f = first.failures[0]!;
    expect(f).toMatchObject({
      host: '127.0.0.1',
      module: 'demo',
      command: 'install',
      step: 'flaky',
      code: 1,
      failedCommand: 'false',
    });
    expect(f.stderrTail).toContain('the flaky step was told to fail');
    expect(steps().some((s) => s.includes('start'))).toBe(false);
    rmSync(join(home('127.0.0.1'), 'FAIL_INSTALL'));
    events.length = 0;
    expect((await e.deploy()).ok).toBe(true);
    expect(steps('skipped')).toEqual(
      expect.arrayContaining(['127.0.0.1 demo install dir', '127.0.0.1 demo install config']),
    );
    expect(steps('ok')).toContain('127.0.0.1 demo install flaky');
  });

  it('skips everything done on a re-run: one identity probe per host, no step script', async () => {
    const e = engine(['127.0.0.1', '127.0.0.2']);
    expect((await e.run('install', 'demo')).ok).toBe(true);
    scripts.length = 0;
    events.length = 0;
    const again = await e.run('install', 'demo');
    expect(again.counts).toMatchObject({ skipped: 8, changed: 0, ok: 0 });
    expect(scripts.sort()).toEqual(['127.0.0.1 identity', '127.0.0.2 identity']);
  });

  it('keeps an owed restart across a failed run and performs it on the next start', async () => {
    const e = engine(['127.0.0.1']);
    expect((await e.deploy()).ok).toBe(true);
    const restarts = join(home('127.0.0.1'), 'restarts');
    expect(existsSync(restarts)).toBe(false);
    // The config changes, and the start that should apply it fails.
    const changed = localInventory(join(root, 'ctrl'), join(root, 'hosts'), ['127.0.0.1'], ['demo']);
    const vars = changed.varsOf;
    changed.varsOf = (ip) => ({ ...vars(ip), GREETING: 'changed' });
    writeFileSync(join(home('127.0.0.1'), 'FAIL_START'), '');
    const e2 = engine(['127.0.0.1'], { inventory: changed });
    expect((await e2.deploy()).ok).toBe(false);
    rmSync(join(home('127.0.0.1'), 'FAIL_START'));
    expect((await e2.deploy()).ok).toBe(true);
    expect(readFileSync(restarts, 'utf8')).toBe('restart\n');
    events.length = 0;
    expect((await e2.deploy()).ok).toBe(true);
    expect(readFileSync(restarts, 'utf8')).toBe('restart\n');
  });

  it('--dry-run plans every host and step and touches nothing', async () => {
    const e = engine(['127.0.0.1', '127.0.0.2'], { dryRun: true });
    const r = await e.deploy();
    expect(r.ok).toBe(true);
    expect(opened).toEqual([]);
    expect(existsSync(join(root, 'hosts'))).toBe(false);
    expect(existsSync(join(root, 'ctrl', '.bkcec', 'journal.json'))).toBe(false);
    const plan = events.filter((x) => x.type === 'step');
    expect(
      plan.every((x) => x.type === 'step' && (x.outcome === 'would-run' || x.outcome === 'unknown')),
    ).toBe(true);
    expect(steps('unknown')).toEqual(['127.0.0.1 demo start run', '127.0.0.2 demo start run']);
  });

  it('syncs the package once and skips it while unchanged', async () => {
    const e = engine(['127.0.0.1']);
    await e.run('sync', 'demo');
    expect(readFileSync(join(home('127.0.0.1'), 'pkg', 'program.js'), 'utf8')).toBe('console.log(1)\n');
    events.length = 0;
    await e.run('sync', 'demo');
    expect(steps('skipped')).toHaveLength(1);
  });
});
