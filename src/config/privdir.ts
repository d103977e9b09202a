// Directories that hold secrets are 0700, but the parents bkcec creates on the way keep the usual
// 0755: `mkdir -p` with mode 0700 would also close e.g. /data, and service users (mysql, redis,
// nginx workers) must traverse it to reach INSTALL_PATH beneath it.
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Makes `dir` mode 0700 (also when it exists); each parent it creates gets 0755 whatever the umask. */
export function makePrivateDir(dir: string): void {
  const root = resolve(dir);
  const missing: string[] = [];
  for (let d = root; !statSync(d, { throwIfNoEntry: false }); d = dirname(d)) missing.unshift(d);
  for (const d of missing) {
    try {
      mkdirSync(d, { mode: 0o755 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (d !== root) chmodSync(d, 0o755);
  }
  chmodSync(root, 0o700);
}
