// The one behaviour suite every Transport must pass (local and SSH run the same tests).

import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Transport, TransportError } from '../../../src/transport/transport';
import { syncSuite } from './transport-sync';

/** What a suite needs: a fresh transport and a way to release what made it. */
export type MakeTransport = () => Promise<{ t: Transport; cleanup: () => Promise<void> }>;

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** Registers the shared transport tests under `name`. */
export function runTransportSuite(name: string, makeTransport: MakeTransport): void {
  describe(`transport conformance: ${name}`, () => {
    let t: Transport;
    let cleanup: () => Promise<void>;
    let dir: string;
    beforeAll(async () => {
      ({ t, cleanup } = await makeTransport());
      dir = `/tmp/bkcec-conf-${randomBytes(4).toString('hex')}`;
    });
    afterAll(async () => {
      await t.exec(`rm -rf ${dir}`);
      await t.close();
      await cleanup();
    });

    it('runs a script and reports stdout, stderr and the exit code', async () => {
      const r = await t.run('x=41\necho "out $((x + 1))"\necho err >&2\nexit 7');
      expect(r).toEqual({ code: 7, stdout: 'out 42\n', stderr: 'err\n' });
    });

    it('keeps the script away from commands that read stdin', async () => {
      const r = await t.run('cat\necho after');
      expect(r).toMatchObject({ code: 0, stdout: 'after\n' });
    });

    it('runs a heredoc and a multi-line script unchanged', async () => {
      const r = await t.run("cat <<'EOF'\n$HOME `x` \\ 'q'\nEOF\nprintf '%s|' a b");
      expect(r.stdout).toBe("$HOME `x` \\ 'q'\na|b|");
    });

    it('execs a command line with string and binary stdin', async () => {
      expect(await t.exec("printf '%s' \"a'b\"; cat", { stdin: ' in' })).toMatchObject({
        code: 0,
        stdout: "a'b in",
      });
      const data = randomBytes(3 * 1024 * 1024 + 17);
      const r = await t.exec('sha256sum', { stdin: data });
      expect(r.stdout.slice(0, 64)).toBe(sha(data));
    });

    it('passes unicode through scripts, stdin and file names', async () => {
      expect((await t.run("echo 'héllo 世界 ✓'")).stdout).toBe('héllo 世界 ✓\n');
      expect((await t.exec('cat', { stdin: 'ünï 日本' })).stdout).toBe('ünï 日本');
      await t.put(`${dir}/ü/名前.txt`, 'ok ✓');
      expect((await t.get(`${dir}/ü/名前.txt`)).toString()).toBe('ok ✓');
    });

    it('streams stdout chunks as they arrive', async () => {
      const chunks: string[] = [];
      const r = await t.run('echo one; sleep 0.2; echo two', { onStdout: (c) => chunks.push(c) });
      expect(chunks.join('')).toBe(r.stdout);
      expect(chunks.length).toBeGreaterThanOrEqual(2);
    });

    it('reports a command killed by a signal as 128+n with the signal name', async () => {
      expect(await t.run('kill -TERM $$')).toMatchObject({ code: 143, signal: 'SIGTERM' });
    });

    it('puts files atomically with modes, creating folders, and gets them back', async () => {
      await t.put(`${dir}/a/b/c.conf`, 'v1\n', 0o600);
      await t.put(`${dir}/a/b/c.conf`, Buffer.from('v2\n'), 0o640);
      await t.put(`${dir}/a/run.sh`, '#!/bin/sh\n', 0o755);
      await t.put(`${dir}/a/plain`, 'p');
      expect((await t.get(`${dir}/a/b/c.conf`)).toString()).toBe('v2\n');
      const r = await t.exec(`cd ${dir}/a && stat -c '%a %n' b/c.conf run.sh plain && ls -A b`);
      expect(r.stdout).toBe('640 b/c.conf\n755 run.sh\n644 plain\nc.conf\n');
    });

    it('moves a large binary file intact', async () => {
      const data = randomBytes(24 * 1024 * 1024);
      await t.put(`${dir}/big.bin`, data);
      expect((await t.exec(`sha256sum < ${dir}/big.bin`)).stdout.slice(0, 64)).toBe(sha(data));
      expect(sha(await t.get(`${dir}/big.bin`))).toBe(sha(data));
    });

    it('rejects get of a missing file with ENOENT and the path', async () => {
      const err = await t.get(`${dir}/nope.txt`).catch((e: Error & { code?: string }) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as { code?: string }).code).toBe('ENOENT');
      expect((err as Error).message).toContain(`${dir}/nope.txt`);
    });

    it('times out with code 124 and kills the whole process group', async () => {
      const mark = `3${randomBytes(3).readUIntBE(0, 3)}`;
      const started = Date.now();
      const r = await t.run(`sleep ${mark}.1 & sleep ${mark}.2; echo never`, { timeoutMs: 400 });
      expect(r.code).toBe(124);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('timed out after 400 ms');
      expect(Date.now() - started).toBeLessThan(5000);
      await new Promise((res) => setTimeout(res, 200));
      expect((await t.exec('ps -eo args')).stdout).not.toContain(`sleep ${mark}`);
    });

    it('keeps a script secret out of the process list while it runs', async () => {
      const secret = `s3cr3t-${randomBytes(8).toString('hex')}`;
      let started: () => void = () => {};
      const running = new Promise<void>((resolve) => {
        started = resolve;
      });
      const done = t.run(`PASSWORD='${secret}'\necho started\nsleep 1.5\necho "\${#PASSWORD}"`, {
        onStdout: (chunk) => chunk.includes('started') && started(),
      });
      await running;
      const ps = await t.exec('ps -eo args');
      expect(ps.stdout).toContain('sleep 1.5');
      expect(ps.stdout).not.toContain(secret);
      expect((await done).stdout).toBe(`started\n${secret.length}\n`);
    });

    it('runs many commands at once', async () => {
      const results = await Promise.all(Array.from({ length: 14 }, (_, i) => t.run(`echo ${i}`)));
      expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 14 }, (_, i) => `${i}\n`));
    });

    syncSuite(() => ({ t, dir }));

    it('refuses every call after close', async () => {
      const { t: other, cleanup: done } = await makeTransport();
      await other.close();
      await expect(other.run('true')).rejects.toBeInstanceOf(TransportError);
      await expect(other.put(`${dir}/x`, 'x')).rejects.toBeInstanceOf(TransportError);
      await done();
    });
  });
}
