import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LockedError, takeLock } from './lock';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bkcec-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('control directory lock', () => {
  it('is taken by exactly one of many simultaneous runs, also over a stale lock file', async () => {
    for (let round = 0; round < 20; round++) {
      const d = mkdtempSync(join(dir, 'r-'));
      // A lock file a dead run left behind (its pid no longer exists).
      mkdirSync(join(d, '.bkcec'));
      writeFileSync(join(d, '.bkcec', 'lock'), '999999');
      const tries = await Promise.allSettled(Array.from({ length: 20 }, () => takeLock(d)));
      const won = tries.flatMap((t) => (t.status === 'fulfilled' ? [t.value] : []));
      expect(won, `round ${round}`).toHaveLength(1);
      const lost = tries.flatMap((t) => (t.status === 'rejected' ? [t.reason as Error] : []));
      expect(lost.every((e) => /another bkcec .*is working on/.test(e.message))).toBe(true);
      await won[0]!();
      await (await takeLock(d))();
    }
  }, 30_000);

  it('goes away with a holder that is SIGKILLed', async () => {
    // One process (node with the tsx loader, no wrapper) that takes the lock and stays.
    const holder = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import('${join(process.cwd(), 'src/cli/lock.ts')}').then((m) => m.takeLock(${JSON.stringify(dir)})).then(() => { console.log('held'); setInterval(() => {}, 1000); })`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise((r) => holder.stdout.once('data', r));
    await expect(takeLock(dir)).rejects.toBeInstanceOf(LockedError);
    holder.kill('SIGKILL');
    await new Promise((r) => holder.once('exit', r));
    // The kernel released it with its holder's last file descriptor (the flock child sees EOF).
    let release: (() => Promise<void>) | undefined;
    for (let i = 0; i < 50 && !release; i++) {
      release = await takeLock(dir).catch(() => undefined);
      if (!release) await new Promise((r) => setTimeout(r, 100));
    }
    expect(release).toBeDefined();
    await release!();
  }, 20_000);
});
