// One bkcec run per control directory at a time: a kernel lock (flock(1) on .bkcec/lock) held by a
// child process for as long as this process lives. It cannot be taken twice, and it goes away
// with its holder however that dies (SIGKILL included): there is no stale lock to take over.
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The control directory is locked by another live run. */
export class LockedError extends Error {
  override name = 'LockedError';
}

const BUSY = 75;

/** Takes the lock or throws LockedError naming the holder; returns its release. */
export async function takeLock(controlDir: string): Promise<() => Promise<void>> {
  const dir = join(controlDir, '.bkcec');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, 'lock');
  const owner = join(dir, 'lock.owner');
  // flock holds the lock while its command runs; the command lives until our end of its stdin closes.
  const child = spawn(
    'flock',
    ['-n', '-o', '-E', String(BUSY), path, 'sh', '-c', 'echo locked; exec cat >/dev/null'],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const got = await new Promise<'locked' | number | Error>((resolve) => {
    child.on('error', resolve);
    child.stdout.once('data', () => resolve('locked'));
    child.on('exit', (code) => resolve(code ?? 1));
  });
  if (got instanceof Error)
    throw new Error(`could not run flock(1) to lock ${path} (${got.message}): install util-linux`);
  if (got !== 'locked') {
    const who = (await readFile(owner, 'utf8').catch(() => '')).trim();
    if (got === BUSY)
      throw new LockedError(
        `another bkcec${who ? ` (${who})` : ''} is working on ${controlDir}; wait for it to end or stop it`,
      );
    throw new Error(`flock ${path} failed with exit code ${got}`);
  }
  // Our exit (however it comes) closes the pipe and so releases the lock; it must not keep us alive.
  child.unref();
  for (const s of [child.stdin, child.stdout, child.stderr])
    (s as unknown as { unref?: () => void }).unref?.();
  await writeFile(owner, `pid ${process.pid}, since ${new Date().toISOString()}\n`, { mode: 0o600 });
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const ended = new Promise((r) => child.once('exit', r));
    // Waiting for the exit must keep the event loop alive (unref'd, node would end with code 13).
    child.ref();
    child.stdin.end();
    await ended;
  };
}
