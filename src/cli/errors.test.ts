// Every command's failure, however early, ends --json output with failure and run-end events and
// exits with the right code; "nothing was changed" is said only when no host was touched.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { demoModule } from '../../test/support/demo/demo';
import type { ModuleDef } from '../engine/types';
import { TemplateError } from '../render';
import { LocalTransport } from '../transport/local';
import { takeLock } from './lock';
import { main } from './main';
import type { Deps } from './session';

let dir: string;
let out: string;
let err: string;

function deps(modules: ModuleDef[]): Deps {
  const stdout = new PassThrough();
  stdout.on('data', (c) => {
    out += c;
  });
  return { stdout, openTransport: async (h) => new LocalTransport(h), modules };
}

const jsonEvents = () =>
  out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { type: string; stderrTail?: string[] });

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bkcec-errors-'));
  out = '';
  err = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((c) => {
    err += String(c);
    return true;
  });
  expect(await main(['-C', dir, 'init', '--layout', '127.0.0.1=consul'], deps([]))).toBe(0);
  writeFileSync(
    join(dir, 'globals.env'),
    readFileSync(join(dir, 'globals.env'), 'utf8').replace(
      /INSTALL_PATH=.*/,
      `INSTALL_PATH=${join(dir, 'hosts')}`,
    ),
  );
  mkdirSync(join(dir, 'pkg', 'consul'), { recursive: true });
  writeFileSync(join(dir, 'pkg', 'consul', 'x'), 'x');
  out = '';
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

/** A module after the demo whose steps cannot be built (a template without a value). */
const broken: ModuleDef = {
  name: 'license',
  after: ['consul'],
  hosts: (c) => [...c.allHosts],
  commands: {
    install: {
      steps: () => {
        throw new TemplateError('license.conf.tpl', ['NO_SUCH'], []);
      },
    },
  },
};

describe('early failures', () => {
  it('bad install.config with --json: failure and run-end events, exit 2', async () => {
    writeFileSync(join(dir, 'install.config'), '10.0.0.300 consul\n');
    expect(await main(['-C', dir, '--json', 'deploy'], deps([demoModule('consul')]))).toBe(2);
    const ev = jsonEvents();
    expect(ev.map((e) => e.type)).toEqual(['failure', 'run-end']);
    expect(ev[0]!.stderrTail!.join('\n')).toMatch(/install\.config:1:1/);
  });

  it('a template error of a later module: exit 2, said before any host was touched, and true', async () => {
    const code = await main(
      ['-C', dir, '--pkg', join(dir, 'pkg'), 'deploy'],
      deps([demoModule('consul'), broken]),
    );
    expect(code).toBe(2);
    expect(out).toContain('license.conf.tpl: no value for __NO_SUCH__');
    expect(err).toContain('nothing was changed on any host');
    expect(existsSync(join(dir, 'hosts'))).toBe(false);
  });

  it('a corrupt journal with --json: events name the file and the way out, exit 2', async () => {
    mkdirSync(join(dir, '.bkcec'), { recursive: true });
    writeFileSync(join(dir, '.bkcec', 'journal.json'), 'not json');
    const code = await main(
      ['-C', dir, '--pkg', join(dir, 'pkg'), '--json', 'install', 'consul'],
      deps([demoModule('consul')]),
    );
    expect(code).toBe(2);
    const ev = jsonEvents();
    expect(ev.at(-1)!.type).toBe('run-end');
    const text = ev.flatMap((e) => e.stderrTail ?? []).join('\n');
    expect(text).toContain(join(dir, '.bkcec', 'journal.json'));
    expect(text).toContain('--from-scratch');
  });

  it('a control directory locked by another run: failure and run-end events, exit 1', async () => {
    const release = await takeLock(dir);
    try {
      expect(await main(['-C', dir, '--json', 'install', 'consul'], deps([demoModule('consul')]))).toBe(1);
      const ev = jsonEvents();
      expect(ev.map((e) => e.type)).toEqual(['failure', 'run-end']);
      expect(ev[0]!.stderrTail!.join('\n')).toContain('another bkcec');
    } finally {
      await release();
    }
  });
});

describe('values that would fail a later phase', () => {
  it('a REDIS_PASS with a quote is refused up front with its file:line:col, before any host', async () => {
    const path = join(dir, 'globals.env');
    const text = readFileSync(path, 'utf8').replace(
      /^(export )?REDIS_PASS=.*$/m,
      `export REDIS_PASS='ab"cd'`,
    );
    expect(text).toContain(`REDIS_PASS='ab"cd'`);
    writeFileSync(path, text);
    const line = text.split('\n').findIndex((l) => l.includes(`REDIS_PASS='ab"cd'`)) + 1;
    let opened = 0;
    // The demo module behind the checks, never the real ones: they would install on this machine.
    const d: Deps = {
      ...deps([demoModule('consul')]),
      openTransport: async (h) => {
        opened++;
        return new LocalTransport(h);
      },
    };
    expect(await main(['-C', dir, 'deploy'], d)).toBe(2);
    expect(err).toMatch(
      new RegExp(`globals\\.env:${line}:\\d+: REDIS_PASS: expected a secret without quotes or backslashes`),
    );
    expect(err).not.toContain('ab"cd');
    expect(opened).toBe(0);
  });
});
