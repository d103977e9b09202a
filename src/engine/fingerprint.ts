// A cheap identity of a local file tree (paths, sizes, mtimes): when it is unchanged since the
// last successful sync, the sync is skipped without asking the host.
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** sha256 over (relative path, size, mtime) of every file under `path` (a file or a folder). */
export async function treeFingerprint(path: string): Promise<string> {
  const h = createHash('sha256');
  const walk = async (abs: string, rel: string): Promise<void> => {
    const st = await stat(abs);
    if (st.isDirectory()) {
      for (const name of (await readdir(abs)).sort()) await walk(join(abs, name), `${rel}/${name}`);
    } else {
      h.update(`${rel}\0${st.size}\0${Math.trunc(st.mtimeMs)}\0${st.mode}\n`);
    }
  };
  await walk(path, '');
  return h.digest('hex');
}
