// The controller's Consul binary (what `sync` ships): CONSUL_BIN, else the package directory's
// consul/consul, else `consul` on PATH. Hosts always run it as $INSTALL_PATH/service/consul/consul.
import {
  accessSync,
  constants,
  copyFileSync,
  linkSync,
  mkdirSync,
  rmSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { delimiter, join, relative, resolve } from 'node:path';

/** Where a Consul binary was found and why it was chosen. */
export interface FoundBinary {
  path: string;
  from: 'CONSUL_BIN' | 'package directory' | 'PATH';
}

const executable = (p: string): boolean => {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/** Finds the binary in the documented order; the error says where to put one. */
export function findConsulBinary(pkgDir: string, env: NodeJS.ProcessEnv = process.env): FoundBinary {
  const fromEnv = env.CONSUL_BIN;
  if (fromEnv) {
    if (executable(fromEnv)) return { path: resolve(fromEnv), from: 'CONSUL_BIN' };
    throw new Error(
      `expected CONSUL_BIN to name an executable Consul binary, found '${fromEnv}' (missing or not executable)`,
    );
  }
  const inPkg = join(pkgDir, 'consul', 'consul');
  if (executable(inPkg)) return { path: resolve(inPkg), from: 'package directory' };
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const p = join(dir, 'consul');
    if (executable(p)) return { path: resolve(p), from: 'PATH' };
  }
  throw new Error(
    `no Consul binary found: expected one of CONSUL_BIN=/path/to/consul, an executable ${resolve(inPkg)} ` +
      '(`npm run build` puts it there; `tools/get-consul` builds one from source), or `consul` on PATH',
  );
}

/**
 * The package-relative folder `sync` ships to $INSTALL_PATH/service/consul: the package's own
 * `consul` folder, or (binary from CONSUL_BIN or PATH) a folder in the control directory holding
 * just that binary, linked or copied with its mtime kept so an unchanged binary is not re-sent.
 */
export function syncSource(pkgDir: string, controlDir: string, found: FoundBinary): string {
  if (found.from === 'package directory') return 'consul';
  const dir = join(controlDir, '.cache', 'consul');
  const dst = join(dir, 'consul');
  const src = statSync(found.path);
  const cur = statSync(dst, { throwIfNoEntry: false });
  if (!cur || cur.size !== src.size || Math.trunc(cur.mtimeMs) !== Math.trunc(src.mtimeMs)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    rmSync(dst, { force: true });
    try {
      linkSync(found.path, dst);
    } catch {
      copyFileSync(found.path, dst);
      utimesSync(dst, src.atime, src.mtime);
    }
  }
  return relative(pkgDir, dir);
}
