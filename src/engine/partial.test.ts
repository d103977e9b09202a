// Owed restarts are per program: a partial restart pays only its programs' debts and the others
// keep theirs (real supervisord, local transport).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanupInstall, localEngine } from '../../test/support/engine';
import { failureText } from '../../test/support/events';
import { programsStep, startStep, supervisordSteps } from '../modules/common/supervisor';
import { configStep } from '../modules/paas/config';
import { PAAS_PROJECTS } from '../modules/paas/paths';
import { restartSteps, startSteps } from '../modules/paas/run';
import type { HostContext, ModuleDef } from './types';

// Local on purpose (not the engine's helpers), so this file also runs against older code.
const unitList = (u: string | readonly string[] | undefined): string[] =>
  u === undefined ? [] : typeof u === 'string' ? [u] : [...u];

let root: string;
let installPath: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'bkcec-partial-'));
  installPath = join(root, 'install');
});
afterEach(async () => {
  await cleanupInstall(installPath);
  rmSync(root, { recursive: true, force: true });
});

/** Two programs sharing one config file, like the paas projects. */
const duo = (greeting: string): ModuleDef => ({
  name: 'duo',
  after: [],
  hosts: (c) => [...c.allHosts],
  commands: {
    install: {
      steps: ({ vars: v }) => [
        programsStep(v, 'duo', [
          { name: 'a', command: 'sleep 1000', startsecs: 0 },
          { name: 'b', command: 'sleep 1000', startsecs: 0 },
        ]),
        {
          id: 'config',
          title: 'shared config',
          files: [{ path: `${v.INSTALL_PATH}/etc/duo.conf`, content: `${greeting}\n` }],
          notify: ['duo:a', 'duo:b'],
        },
      ],
    },
    start: {
      steps: (h) => [...supervisordSteps(h.vars), startStep(h.vars, 'duo', h.projects ?? ['a', 'b'])],
    },
  },
});

const pids = (): Record<string, string> => {
  const out = execFileSync('supervisorctl', ['-c', join(installPath, 'etc', 'supervisord.conf'), 'status'], {
    encoding: 'utf8',
  }).trim();
  return Object.fromEntries(out.split('\n').map((l) => [l.split(/\s+/)[0]!, /pid (\d+)/.exec(l)?.[1] ?? '']));
};

function run(greeting: string, projects?: string[]) {
  return localEngine({
    controlDir: join(root, 'ctrl'),
    pkgDir: join(root, 'pkg'),
    modules: [duo(greeting)],
    vars: { INSTALL_PATH: installPath, LAN_IP: '127.0.0.1' },
    projects,
  });
}

describe('per-program owed restarts', () => {
  it('start of one program pays its debt only; the next full start restarts the other, once', async () => {
    const first = run('v1');
    expect((await first.engine.deploy()).ok, failureText(first.events)).toBe(true);
    const p0 = pids();
    // The shared config changes; only program a is started (as `bkcec restart paas esb` would).
    const change = run('v2');
    expect((await change.engine.run('install', 'duo')).ok, failureText(change.events)).toBe(true);
    const partial = run('v2', ['a']);
    expect((await partial.engine.run('start', 'duo')).ok, failureText(partial.events)).toBe(true);
    const p1 = pids();
    expect(p1['duo:duo-a']).not.toBe(p0['duo:duo-a']);
    expect(p1['duo:duo-b']).toBe(p0['duo:duo-b']);
    // b still owes its restart, and gets it; a is not restarted a second time.
    const full = run('v2');
    expect((await full.engine.run('start', 'duo')).ok, failureText(full.events)).toBe(true);
    const p2 = pids();
    expect(p2['duo:duo-a']).toBe(p1['duo:duo-a']);
    expect(p2['duo:duo-b']).not.toBe(p1['duo:duo-b']);
    // Nothing is owed any more.
    const again = run('v2');
    expect((await again.engine.deploy()).ok, failureText(again.events)).toBe(true);
    expect(pids()).toEqual(p2);
  }, 60_000);

  it('paas: the config owes every project on the host; restart/start of one project pays only its own', async () => {
    const v: Record<string, string> = {
      INSTALL_PATH: installPath,
      LAN_IP: '10.0.0.5',
      PAAS_APPENGINE_IP: '10.0.0.5',
      PAAS_PAAS_IP: '10.0.0.5',
      PAAS_ESB_IP: '10.0.0.5',
      PAAS_LOGIN_IP: '10.0.0.5',
    };
    const names =
      'MYSQL_HOST MYSQL_PORT MYSQL_USER MYSQL_PASS REDIS_HOST REDIS_PORT REDIS_PASS PAAS_DOMAIN PAAS_INNER_DOMAIN BK_COOKIE_DOMAIN HTTP_SCHEMA ESB_SECRET_KEY ESB_TOKEN APPENGINE_PORT PAAS_PORT ESB_PORT LOGIN_PORT PAAS_ADMIN_USER';
    for (const n of names.split(' ')) v[n] ??= '1';
    // install.config: every project of paas on this host
    const run = { hostsOf: (m: string) => (m === 'paas' ? [v.LAN_IP] : []), projectsOf: () => PAAS_PROJECTS };
    const h = {
      ip: v.LAN_IP,
      vars: v,
      projects: ['esb'],
      index: 0,
      hosts: [v.LAN_IP],
      run,
    } as unknown as HostContext;
    const config = await configStep(h);
    expect(unitList(config.notify).sort()).toEqual(['paas:appengine', 'paas:esb', 'paas:login', 'paas:paas']);
    const consumed = (steps: { consumes?: string | readonly string[] }[]) =>
      steps.flatMap((s) => unitList(s.consumes));
    expect(consumed(restartSteps(h))).toEqual(['paas:esb']);
    expect(consumed(startSteps(h)).filter((u) => u !== 'paas')).toEqual(['paas:esb']);
  });
});
