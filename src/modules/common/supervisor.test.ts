// start / stop / status of a multi-program group under a real supervisord, checked in the process
// table: a stop that reports ok while programs keep running must fail here.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalHost, localHost } from '../../../test/support/engine';
import { failureText } from '../../../test/support/events';
import type { ModuleDef } from '../../engine/types';
import { programsStep, startStep, statusStep, stopStep, supervisordSteps } from './supervisor';

const NAMES = ['one', 'two', 'three', 'four'];
/** The programs the next command acts on (undefined: the whole group), as `bkcec stop grp two` would. */
let scope: string[] | undefined;

const group: ModuleDef = {
  name: 'grp',
  after: [],
  hosts: () => [],
  commands: {
    install: {
      steps: ({ vars: v }) => [
        ...supervisordSteps(v),
        // A program that prints a few lines as it runs, like the real ones.
        programsStep(
          v,
          'grp',
          NAMES.map((name) => ({
            name,
            command: `/bin/bash -c 'for i in 1 2 3; do echo ${name} line $i; done; exec sleep 100000'`,
            startsecs: 0,
            stopwaitsecs: 5,
          })),
        ),
      ],
    },
    start: { steps: ({ vars: v }) => [...supervisordSteps(v), startStep(v, 'grp', scope)] },
    stop: { steps: ({ vars: v }) => [stopStep(v, 'grp', scope)] },
    status: { steps: ({ vars: v }) => [statusStep(v, 'grp', scope)] },
  },
};

let host: LocalHost;
const sh = (cmd: string) => execFileSync('bash', ['-c', cmd], { encoding: 'utf8' });
/** Pid of each program from supervisord (one status call), checked alive in the process table (0: not running). */
function pids(): Record<string, number> {
  const status = sh(`supervisorctl -c ${host.installPath}/etc/supervisord.conf status || true`);
  const out: Record<string, number> = {};
  for (const n of NAMES) {
    const pid = Number(new RegExp(`^grp:grp-${n}\\s+RUNNING\\s+pid (\\d+),`, 'm').exec(status)?.[1] ?? 0);
    const alive = pid > 0 && sh(`ps -o comm= -p ${pid} || true`).trim() === 'sleep';
    out[n] = alive ? pid : 0;
  }
  return out;
}
const running = () => Object.values(pids()).filter((p) => p > 0).length;
/** Every `sleep 100000` whose parent is this host's supervisord. */
const children = () =>
  Number(sh(`pgrep -c -P "$(cat ${host.installPath}/run/supervisord.pid)" -x sleep || true`).trim());

beforeAll(() => {
  host = localHost(group, {});
});
afterAll(() => host?.cleanup());

describe('a multi-program group under supervisord', () => {
  it('starts every program', async () => {
    expect((await host.run('install')).ok).toBe(true);
    const r = await host.run('start');
    expect(r.ok, failureText(r.events)).toBe(true);
    expect(running()).toBe(4);
  });

  it('stop of the whole group leaves none of its processes; status then fails', async () => {
    scope = undefined;
    const r = await host.run('stop');
    expect(r.ok, failureText(r.events)).toBe(true);
    expect(r.changed).toEqual(['stop:stop']);
    expect(running()).toBe(0);
    expect(children()).toBe(0);
    const status = await host.run('status');
    expect(status.ok).toBe(false);
    const lines = status.events.flatMap((e) => (e.type === 'status' ? [e.text] : []));
    expect(lines).toHaveLength(4);
    for (const l of lines) expect(l).toMatch(/ STOPPED /);
    // Stopping what is stopped is ok and changes nothing.
    expect((await host.run('stop')).changed).toEqual([]);
  });

  it('start brings every program back with new pids', async () => {
    const r = await host.run('start');
    expect(r.ok, failureText(r.events)).toBe(true);
    expect(r.changed).toContain('start:start');
    expect(running()).toBe(4);
    expect(children()).toBe(4);
  });

  it('stop and start of some programs touch only those', async () => {
    const before = pids();
    scope = ['two', 'four'];
    const stop = await host.run('stop');
    expect(stop.ok, failureText(stop.events)).toBe(true);
    const after = pids();
    expect(after).toEqual({ one: before.one, two: 0, three: before.three, four: 0 });
    const start = await host.run('start');
    expect(start.ok, failureText(start.events)).toBe(true);
    const again = pids();
    expect(again.one).toBe(before.one);
    expect(again.three).toBe(before.three);
    expect(again.two).toBeGreaterThan(0);
    expect(again.two).not.toBe(before.two);
    expect(again.four).toBeGreaterThan(0);
    expect(again.four).not.toBe(before.four);
    scope = undefined;
  });
});
