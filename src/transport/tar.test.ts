import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type TarEntry, tarStream } from './tar';

describe('tarStream', () => {
  it('writes an archive GNU tar extracts: modes, mtimes, symlinks, long and unicode names', async () => {
    const long = `${'d'.repeat(60)}/${'e'.repeat(60)}/名前-${'f'.repeat(80)}.txt`;
    const entries: TarEntry[] = [
      { type: 'file', name: 'bin/run', mode: 0o755, mtime: 1_700_000_000, data: Buffer.from('#!/bin/sh\n') },
      { type: 'file', name: long, mode: 0o600, mtime: 1_700_000_000, data: Buffer.alloc(1000, 7) },
      { type: 'file', name: 'empty', mode: 0o644, mtime: 1_700_000_000, data: Buffer.alloc(0) },
      { type: 'symlink', name: 'link', mode: 0o777, mtime: 1_700_000_000, target: `../${'t'.repeat(120)}` },
    ];
    async function* gen() {
      yield* entries;
    }
    const dir = await mkdtemp(join(tmpdir(), 'bkcec-tar-'));
    await new Promise<void>((resolve, reject) => {
      const child = execFile('tar', ['-x', '-p', '-C', dir, '-f', '-'], (err) =>
        err ? reject(err) : resolve(),
      );
      tarStream(gen()).pipe(child.stdin!);
    });
    expect((await stat(join(dir, 'bin/run'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(dir, 'bin/run'))).mtimeMs).toBe(1_700_000_000_000);
    expect((await stat(join(dir, long))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, long))).toEqual(Buffer.alloc(1000, 7));
    expect((await stat(join(dir, 'empty'))).size).toBe(0);
    expect(await readlink(join(dir, 'link'))).toBe(`../${'t'.repeat(120)}`);
    await rm(dir, { recursive: true });
  });
});
