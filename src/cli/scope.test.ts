// --limit and the project argument are checked against install.config before any host is touched.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalTransport } from '../transport/local';
import { main } from './main';
import type { Deps } from './session';

let dir: string;
let opened: string[];
let err: string;
const deps = (): Deps => ({
  stdout: new PassThrough(),
  openTransport: async (h) => {
    opened.push(h);
    return new LocalTransport(h);
  },
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bkcec-scope-'));
  opened = [];
  err = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((c) => {
    err += String(c);
    return true;
  });
  const layout =
    '10.0.0.1=consul,mysql,redis,nginx 10.0.0.2=paas(esb-login),appo 10.0.0.3=paas(paas-appengine)';
  expect(await main(['-C', dir, 'init', '--layout', layout], deps())).toBe(0);
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('what a command line narrows a run to', () => {
  it.each([
    [
      ['--limit', '10.9.9.9', 'stop', 'all'],
      "--limit:1:1: expected a host of install.config (10.0.0.1, 10.0.0.2, 10.0.0.3), found '10.9.9.9'",
    ],
    [
      ['--limit', '10.0.0.1,10.0.0.4', 'deploy'],
      "--limit:1:1: expected a host of install.config (10.0.0.1, 10.0.0.2, 10.0.0.3), found '10.0.0.4'",
    ],
    [
      ['--limit', '10.0.0.1', 'restart', 'paas'],
      '--limit:1:1: expected a host that runs paas (10.0.0.2, 10.0.0.3), found 10.0.0.1',
    ],
    [
      ['restart', 'paas', 'cmdb'],
      "<project>:1:1: expected a project of paas (appengine, paas, esb, login), found 'cmdb'",
    ],
    [['stop', 'mysql', 'esb'], "<project>:1:1: expected no project for mysql (it has none), found 'esb'"],
    [['stop', 'all', 'esb'], "<project>:1:1: expected no project with 'all', found 'esb'"],
  ])('%j exits 2 saying what was expected, touching no host', async (args, message) => {
    expect(await main(['-C', dir, ...args], deps())).toBe(2);
    expect(err).toContain(message);
    expect(err).toContain('nothing was changed on any host');
    expect(opened).toEqual([]);
  });

  it('lets a limit and a project that install.config has through', async () => {
    const code = await main(
      ['-C', dir, '--dry-run', '--limit', '10.0.0.2', 'restart', 'paas', 'esb'],
      deps(),
    );
    expect(err).toBe('');
    expect(code).toBe(0);
  });

  it('takes any host for consul: every host runs an agent (a client where consul is not listed)', async () => {
    const code = await main(['-C', dir, '--dry-run', '--limit', '10.0.0.3', 'stop', 'consul'], deps());
    expect(err).toBe('');
    expect(code).toBe(0);
  });
});
