// One bkcec run per control directory at a time: a lock file holding the owner's pid.
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Takes the lock (a stale one left by a dead run is taken over); returns its release. */
export async function takeLock(controlDir: string): Promise<() => Promise<void>> {
  const dir = join(controlDir, '.bkcec');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(path, 'wx', 0o600);
      await fh.writeFile(String(process.pid));
      await fh.close();
      return () => unlink(path).catch(() => undefined);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (pid && alive(pid))
        throw new Error(`another bkcec (pid ${pid}) is working on ${controlDir}; wait for it or stop it`);
      await unlink(path).catch(() => undefined);
    }
  }
  throw new Error(`could not take the lock ${path}`);
}
