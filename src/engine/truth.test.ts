// The engine tells the truth under change and failure: owed restarts survive a killed controller,
// a wiped host is seen as new, two runs never overlap on a host, a hung step dies at its own timeout,
// and every failure (however early) ends the event stream.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoModule, localInventory } from '../../test/support/demo/demo';
import { TemplateError } from '../render';
import { LocalTransport } from '../transport/local';
import { Engine, type EngineOptions } from './engine';
import type { EngineEvent } from './events';
import type { ModuleDef } from './types';

let root: string;
let events: EngineEvent[];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'bkcec-truth-'));
  mkdirSync(join(root, 'pkg', 'demo'), { recursive: true });
  writeFileSync(join(root, 'pkg', 'demo', 'program.js'), 'console.log(1)\n');
  events = [];
});
afterEach(async () => {
  await engine().run('stop', 'demo');
  rmSync(root, { recursive: true, force: true });
});

const IP = '127.0.0.1';
const demoHome = () => join(root, 'hosts', IP, 'demo');

function engine(
  extra: Partial<EngineOptions> = {},
  modules: ModuleDef[] = [demoModule('demo')],
  ctrl = 'ctrl',
) {
  return new Engine({
    inventory: localInventory(
      join(root, ctrl),
      join(root, 'hosts'),
      [IP],
      modules.map((m) => m.name),
    ),
    modules,
    pkgDir: join(root, 'pkg'),
    openTransport: async (h) => new LocalTransport(h),
    emit: (e) => events.push(e),
    ...extra,
  });
}

const withGreeting = (greeting: string) => {
  const inv = localInventory(join(root, 'ctrl'), join(root, 'hosts'), [IP], ['demo']);
  const vars = inv.varsOf;
  inv.varsOf = (ip) => ({ ...vars(ip), GREETING: greeting });
  return inv;
};

/** Succeeded, or shows the failures. */
const expectOk = (r: { ok: boolean; failures: unknown[] }) => expect(r.failures).toEqual([]);

const ran = (outcome: string) =>
  events.flatMap((e) => (e.type === 'step' && e.outcome === outcome ? [`${e.command} ${e.step}`] : []));

const trace = () =>
  readFileSync(join(root, 'hosts', `trace-${IP}`), 'utf8')
    .trim()
    .split('\n');
/** Nanosecond times the demo's flaky step wrote as it began and ended, in order. */
const spans = () => trace().map((l) => Number(/\d{10,}/.exec(l)![0]));

const until = async (what: () => boolean, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('owed restarts and killed controllers', () => {
  it('a restart owed by a change survives the controller being SIGKILLed mid-script, and the re-run waits for the old script', async () => {
    expectOk(await engine().deploy());
    const h = demoHome();
    writeFileSync(join(h, 'SLOW'), '3');
    // A controller process applies a new greeting and is killed while the step after the config runs.
    // One process (node with the tsx loader, no wrapper that would outlive a SIGKILL of its own).
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(process.cwd(), 'test/support/demo/run-demo.ts'), root, 'deploy'],
      {
        env: { ...process.env, BKCEC_DEMO_GREETING: 'changed' },
        stdio: 'ignore',
      },
    );
    await until(
      () => existsSync(join(h, 'app.conf')) && readFileSync(join(h, 'app.conf'), 'utf8').includes('changed'),
    );
    await until(() => spans().length >= 3); // the flaky step began after the config was written
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    rmSync(join(h, 'SLOW'));
    events.length = 0;
    expectOk(await engine({ inventory: withGreeting('changed') }).deploy());
    // The config on the host was already new, yet the program was restarted, exactly once.
    expect(readFileSync(join(h, 'restarts'), 'utf8')).toBe('restart\n');
    // The re-run waited for the killed run's script: the restart came after its step ended.
    const t = spans();
    expect(t.length).toBe(6);
    expect(t[4]!).toBeGreaterThanOrEqual(t[3]!);
    expect(statSync(join(h, 'pid')).mtimeMs * 1e6).toBeGreaterThan(t[3]!);
    events.length = 0;
    expectOk(await engine({ inventory: withGreeting('changed') }).deploy());
    expect(readFileSync(join(h, 'restarts'), 'utf8')).toBe('restart\n');
  }, 60_000);

  it('a wiped host is seen as new: its steps run again although the journal has them', async () => {
    expectOk(await engine().deploy());
    await engine().run('stop', 'demo');
    rmSync(join(root, 'hosts', IP), { recursive: true, force: true });
    events.length = 0;
    expectOk(await engine().deploy());
    expect(ran('skipped')).toEqual([]);
    expect(readFileSync(join(demoHome(), 'app.conf'), 'utf8')).toContain('greeting=');
    expect(existsSync(join(demoHome(), 'pkg', 'program.js'))).toBe(true);
    expect(events.some((e) => e.type === 'info' && e.text.includes('identity changed'))).toBe(true);
  });

  it('two controllers (two control dirs) never run scripts on one host at once', async () => {
    expectOk(await engine().run('install', 'demo'));
    rmSync(join(root, 'hosts', `trace-${IP}`));
    const slow = demoModule('demo');
    const install = slow.commands.install!;
    const mod: ModuleDef = {
      ...slow,
      commands: {
        ...slow.commands,
        install: {
          ...install,
          steps: async (h) => (await install.steps(h)).map((s) => ({ ...s, env: { SLEEP: '1' } })),
        },
      },
    };
    const both = await Promise.all([
      engine({ fromScratch: true }, [mod], 'ctrl-a').run('install', 'demo'),
      engine({ fromScratch: true }, [mod], 'ctrl-b').run('install', 'demo'),
    ]);
    expect(both.map((r) => r.failures)).toEqual([[], []]);
    expect(trace().map((l) => l.split(' ').at(-1))).toEqual(['start', 'end', 'start', 'end']);
    const [a0, a1, b0, b1] = spans();
    expect(b0!).toBeGreaterThanOrEqual(a1!);
    expect(a1! - a0!).toBeGreaterThan(900_000_000);
    expect(b1! - b0!).toBeGreaterThan(900_000_000);
  });
});

describe('rolling restart', () => {
  it('restarts a module without its own restart one host at a time: never all its hosts down', async () => {
    const hosts = ['127.0.0.1', '127.0.0.2'];
    const two = () =>
      new Engine({
        inventory: localInventory(join(root, 'ctrl'), join(root, 'hosts'), hosts, ['demo']),
        modules: [demoModule('demo')],
        pkgDir: join(root, 'pkg'),
        openTransport: async (h) => new LocalTransport(h),
        emit: (e) => events.push(e),
      });
    expectOk(await two().deploy());
    events.length = 0;
    expectOk(await two().run('restart', 'demo'));
    const order = events.flatMap((e) => (e.type === 'step' ? [`${e.host} ${e.step}`] : []));
    expect(order).toEqual([
      '127.0.0.1 stop-stop',
      '127.0.0.1 start-run',
      '127.0.0.2 stop-stop',
      '127.0.0.2 start-run',
    ]);
    await two().run('stop', 'demo');
  });
});

describe('timeouts and early failures', () => {
  it("a hung step is killed at its own timeout, not at the sum of the script's step timeouts", async () => {
    const hang: ModuleDef = {
      name: 'hang',
      after: [],
      hosts: (c) => c.hostsOf('hang'),
      commands: {
        install: {
          steps: () =>
            Array.from({ length: 10 }, (_, i) => ({
              id: `s${i}`,
              title: `step ${i}`,
              script: i === 0 ? 'sleep 60' : 'true',
              timeoutMs: 1500,
            })),
        },
      },
    };
    const started = Date.now();
    const r = await engine({}, [hang]).run('install', 'hang');
    const took = Date.now() - started;
    expect(r.ok).toBe(false);
    expect(r.failures[0]).toMatchObject({ step: 's0', code: 124 });
    expect(r.failures[0]!.stderrTail.join('\n')).toContain('did not finish within 2 s');
    expect(took).toBeLessThan(10_000);
  });

  it('an error while preparing a phase is a failure event followed by run-end, not an exception', async () => {
    const bad: ModuleDef = {
      name: 'bad',
      after: [],
      hosts: (c) => c.hostsOf('bad'),
      commands: {
        install: {
          prepare: async () => {
            throw new Error('the certificate authority is unreadable');
          },
          steps: () => [{ id: 'x', title: 'x', script: 'true' }],
        },
      },
    };
    const r = await engine({}, [bad]).run('install', 'bad');
    expect(r.ok).toBe(false);
    const types = events.map((e) => e.type);
    expect(types.at(-1)).toBe('run-end');
    const f = events.find((e) => e.type === 'failure');
    expect(f).toMatchObject({ module: 'bad', step: 'prepare' });
    expect(f?.type === 'failure' && f.stderrTail.join(' ')).toContain('certificate authority is unreadable');
  });

  it('a template error in a later phase fails the run before the first host is touched', async () => {
    const late: ModuleDef = {
      name: 'late',
      after: ['demo'],
      hosts: (c) => c.hostsOf('late'),
      commands: {
        install: {
          steps: () => {
            throw new TemplateError('late.conf.tpl', ['NO_SUCH'], []);
          },
        },
      },
    };
    const r = await engine({}, [demoModule('demo'), late]).deploy();
    expect(r).toMatchObject({ ok: false, badInput: true });
    expect(existsSync(join(root, 'hosts'))).toBe(false);
    expect(events.at(-1)?.type).toBe('run-end');
    const f = events.find((e) => e.type === 'failure');
    expect(f?.type === 'failure' && f.stderrTail.join(' ')).toContain(
      'late.conf.tpl: no value for __NO_SUCH__',
    );
  });

  it('a corrupt journal names its file and the way out; --from-scratch replaces it', async () => {
    mkdirSync(join(root, 'ctrl', '.bkcec'), { recursive: true });
    const path = join(root, 'ctrl', '.bkcec', 'journal.json');
    writeFileSync(path, '{"version": 1, "steps": {');
    const r = await engine().run('install', 'demo');
    expect(r).toMatchObject({ ok: false, badInput: true });
    const text = events.flatMap((e) => (e.type === 'failure' ? e.stderrTail : [])).join('\n');
    expect(text).toContain(path);
    expect(text).toContain('--from-scratch');
    expect(text).toContain(`mv ${path} ${path}.broken`);
    expect(existsSync(join(root, 'hosts'))).toBe(false);
    events.length = 0;
    expectOk(await engine({ fromScratch: true }).run('install', 'demo'));
    expect(JSON.parse(readFileSync(path, 'utf8')).version).toBe(1);
  });
});
