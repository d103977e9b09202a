import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findConsulBinary, syncSource } from './binary';

let root: string;
const exe = (path: string, text = '#!/bin/sh\necho consul\n') => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  chmodSync(path, 0o755);
  return path;
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'bkcec-consul-bin-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('findConsulBinary', () => {
  it('takes CONSUL_BIN first, then the package directory, then PATH', () => {
    const pkg = join(root, 'pkg');
    const env = exe(join(root, 'env', 'consul'));
    const inPkg = exe(join(pkg, 'consul', 'consul'));
    const onPath = exe(join(root, 'bin', 'consul'));
    const PATH = `/nonexistent:${join(root, 'bin')}`;
    expect(findConsulBinary(pkg, { CONSUL_BIN: env, PATH })).toEqual({ path: env, from: 'CONSUL_BIN' });
    expect(findConsulBinary(pkg, { PATH })).toEqual({ path: inPkg, from: 'package directory' });
    rmSync(inPkg);
    expect(findConsulBinary(pkg, { PATH })).toEqual({ path: onPath, from: 'PATH' });
  });

  it('says where to put a binary when there is none', () => {
    const pkg = join(root, 'pkg');
    expect(() => findConsulBinary(pkg, { PATH: join(root, 'bin') })).toThrow(
      `no Consul binary found: expected one of CONSUL_BIN=/path/to/consul, an executable ${resolve(pkg, 'consul', 'consul')}`,
    );
  });

  it('refuses a CONSUL_BIN that is not executable instead of falling back', () => {
    const f = join(root, 'consul');
    writeFileSync(f, 'x');
    exe(join(root, 'pkg', 'consul', 'consul'));
    expect(() => findConsulBinary(join(root, 'pkg'), { CONSUL_BIN: f })).toThrow(
      `expected CONSUL_BIN to name an executable Consul binary, found '${f}'`,
    );
  });
});

describe('syncSource', () => {
  it('ships the package folder as is', () => {
    const pkg = join(root, 'pkg');
    const found = { path: exe(join(pkg, 'consul', 'consul')), from: 'package directory' as const };
    expect(syncSource(pkg, join(root, 'ctrl'), found)).toBe('consul');
  });

  it('stages a binary from elsewhere alone in a folder, kept while unchanged', () => {
    const pkg = join(root, 'pkg');
    const ctrl = join(root, 'ctrl');
    const bin = exe(join(root, 'usr', 'bin', 'consul'));
    exe(join(root, 'usr', 'bin', 'other-tool'));
    const rel = syncSource(pkg, ctrl, { path: bin, from: 'PATH' });
    const staged = join(pkg, rel, 'consul');
    expect(resolve(pkg, rel)).toBe(join(ctrl, '.cache', 'consul'));
    expect(readFileSync(staged, 'utf8')).toBe('#!/bin/sh\necho consul\n');
    const before = statSync(staged).ino;
    syncSource(pkg, ctrl, { path: bin, from: 'PATH' });
    expect(statSync(staged).ino).toBe(before);
    exe(bin, '#!/bin/sh\necho consul v2\n');
    utimesSync(bin, new Date(), new Date(Date.now() + 5000));
    syncSource(pkg, ctrl, { path: bin, from: 'PATH' });
    expect(readFileSync(staged, 'utf8')).toBe('#!/bin/sh\necho consul v2\n');
  });
});
