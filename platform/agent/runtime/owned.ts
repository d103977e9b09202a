import { chmod, chown, lstat, mkdir } from 'node:fs/promises';
import type { AppUser } from './users';

/**
 * A folder root keeps for itself, with `mode` (whatever the umask): made when missing; must be a
 * real directory owned by root.
 * `reclaim`: a real directory owned by someone else (an app folder of the agent before per-app
 * users, which handed it to the shared apps user) is taken back; a link never is.
 */
export async function rootDir(dir: string, mode: number, reclaim = false): Promise<void> {
  await mkdir(dir, { recursive: true, mode });
  let st = await lstat(dir);
  if (reclaim && st.isDirectory() && st.uid !== process.getuid?.()) {
    await chown(dir, process.getuid?.() ?? 0, process.getgid?.() ?? 0);
    st = await lstat(dir);
  }
  if (!st.isDirectory() || st.uid !== process.getuid?.())
    throw new Error(
      `expected ${dir} to be a directory owned by the agent's user, not a link or another user's`,
    );
  // explicit: the agent may run with a strict umask, and app users must pass through
  if ((st.mode & 0o777) !== mode) await chmod(dir, mode);
}

/**
 * A folder that belongs to the app's user: made (0750) and handed over when missing; when it
 * exists it must be a real directory already owned by that user. Root never writes below it.
 */
export async function userDir(dir: string, u: AppUser): Promise<void> {
  const st = await lstat(dir).catch(() => undefined);
  if (!st) {
    await mkdir(dir, { mode: 0o750 });
    await chown(dir, u.uid, u.gid);
    return;
  }
  if (!st.isDirectory() || st.isSymbolicLink() || st.uid !== u.uid)
    throw new Error(
      `expected ${dir} to be a directory of user ${u.name}, found something else: refusing to use it`,
    );
}

/** Fail naming the first folder above `dir` that the app's user cannot pass through (mode lacks o+x). */
export async function reachable(dir: string, u: AppUser): Promise<void> {
  const parts = dir.split('/').filter(Boolean);
  for (let i = 1; i < parts.length; i++) {
    const d = `/${parts.slice(0, i).join('/')}`;
    const st = await lstat(d);
    const ok = st.uid === u.uid ? st.mode & 0o100 : st.gid === u.gid ? st.mode & 0o010 : st.mode & 0o001;
    if (!ok)
      throw new Error(
        `app user ${u.name} cannot reach ${dir}: ${d} is mode ${(st.mode & 0o777).toString(8)} (needs o+x, e.g. 0755 or 0711)`,
      );
  }
}
