import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { demoModule } from '../../test/support/demo/demo';
import { COMMANDS } from '../engine/types';
import { LocalTransport } from '../transport/local';
import { main } from './main';
import type { Deps } from './session';

let dir: string;
let opened: string[];
let out: string;
let err: string;

function deps(extra: Partial<Deps> = {}): Deps {
  const stdout = new PassThrough();
  stdout.on('data', (c) => {
    out += c;
  });
  return {
    stdout,
    openTransport: async (h) => {
      opened.push(h);
      return new LocalTransport(h);
    },
    ...extra,
  };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bkcec-cli-'));
  opened = [];
  out = '';
  err = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((c) => {
    err += String(c);
    return true;
  });
  vi.spyOn(process.stdout, 'write').mockImplementation((c) => {
    out += String(c);
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('bkcec command line', () => {
  it('describes every command and option in --help', async () => {
    expect(await main(['--help'], deps())).toBe(0);
    for (const c of [...COMMANDS, 'init', 'deploy']) expect(out).toContain(c);
    for (const o of ['--control-dir', '--parallel', '--limit', '--dry-run', '--from-scratch', '--json'])
      expect(out).toContain(o);
    for (const c of [...COMMANDS, 'init', 'deploy']) {
      out = '';
      expect(await main([c, '--help'], deps())).toBe(0);
      expect(out).toContain(`Usage: bkcec ${c}`);
    }
  });

  it('exits 2 on bad input, names file:line:col for every error, and opens no transport', async () => {
    expect(
      await main(['-C', dir, 'init', '--layout', '127.0.0.1=consul,mysql,redis,nginx,paas'], deps()),
    ).toBe(0);
    writeFileSync(
      join(dir, 'install.config'),
      '127.0.0.1 consul,mysql,redis,nginx,paas\n10.0.0.300 consul\n10.0.0.2 mysqll\n',
    );
    expect(await main(['-C', dir, 'deploy'], deps())).toBe(2);
    expect(err).toMatch(/install\.config:2:1: .*10\.0\.0\.300/);
    expect(err).toMatch(/install\.config:3:10: .*mysqll/);
    expect(err).toContain('nothing was changed on any host');
    expect(opened).toEqual([]);
  });

  it('exits 2 for an unknown module or option, and for init over an existing directory', async () => {
    expect(await main(['-C', dir, 'init', '--layout', '127.0.0.1=consul'], deps())).toBe(0);
    expect(await main(['-C', dir, 'install', 'mongodb'], deps({ modules: [demoModule('demo')] }))).toBe(2);
    expect(err).toContain('unknown module "mongodb"');
    expect(await main(['--bogus'], deps())).toBe(2);
    expect(await main(['-C', dir, 'init'], deps())).toBe(2);
    expect(err).toContain('expected no install.config yet (pass --force to overwrite it)');
    expect(opened).toEqual([]);
  });

  it('runs a module end to end, logs to the control dir, prints JSON events, and exits 1 on a failed step', async () => {
    expect(await main(['-C', dir, 'init', '--layout', '127.0.0.1=consul'], deps())).toBe(0);
    const pkg = join(dir, 'pkg');
    mkdirSync(join(pkg, 'consul'), { recursive: true });
    writeFileSync(join(pkg, 'consul', 'x'), 'x');
    const installPath = join(dir, 'hosts');
    const globals = readFileSync(join(dir, 'globals.env'), 'utf8').replace(
      /INSTALL_PATH=.*/,
      `INSTALL_PATH=${installPath}`,
    );
    writeFileSync(join(dir, 'globals.env'), globals);
    const d = deps({ modules: [demoModule('consul')] });
    out = '';
    expect(await main(['-C', dir, '--pkg', pkg, '--json', 'install', 'consul'], d)).toBe(0);
    const events = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.at(-1)).toMatchObject({ type: 'run-end', ok: true });
    expect(readFileSync(join(dir, 'logs', 'bkcec.log'), 'utf8')).toContain('consul install config: changed');
    writeFileSync(join(installPath, 'consul', 'FAIL_START'), '');
    out = '';
    expect(await main(['-C', dir, '--pkg', pkg, 'start', 'consul'], d)).toBe(1);
    expect(out).toContain('FAILED on 127.0.0.1: consul start');
    expect(out).toContain('exit code 3');
    expect(out).toContain('start refused');
    expect(out).toContain('run the same command again');
  });
});
