// `bkcec restore ARCHIVE` onto a deployed platform: the archive is checked whole before anything
// changes; then the databases are loaded (app accounts made again), the control directory gets back
// what the database is bound to (platform app tokens, admin password), and paas is restarted.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ControlConfig } from '../../config';
import { hostVars } from '../../config/vars';
import { waitReady } from '../../modules/mysql/paths';
import type { Transport } from '../../transport/transport';
import { unpack, withScratch } from './archive';
import { mysqlHostOf } from './backup';
import { applyControl, archivedControl } from './control';
import { hostDumpPath, loadScript, runOk } from './host';
import type { Manifest } from './manifest';

export interface RestoreResult {
  manifest: Manifest;
  /** Control directory entries that took the archive's value. */
  control: string[];
  /** App database accounts made again. */
  appAccounts: number;
}

/** Checks `archive` only (nothing else is read or changed); returns its manifest or throws. */
export const verifyArchive = (archive: string): Promise<Manifest> =>
  withScratch((dir) => unpack(archive, dir));

/** Restores `archive` onto the platform of `cfg`; the caller restarts paas afterwards. */
export async function runRestore(
  cfg: ControlConfig,
  open: (ip: string) => Promise<Transport>,
  archive: string,
): Promise<RestoreResult> {
  return withScratch(async (dir) => {
    const manifest = await unpack(archive, dir);
    const control = await archivedControl(dir);
    const dump = await readFile(join(dir, 'db', 'databases.sql'));
    const ip = mysqlHostOf(cfg);
    const v = hostVars(cfg, ip);
    const t = await open(ip);
    // The server must answer before the dump is sent: a refused restore changes nothing.
    await runOk(t, 'mysql readiness', `set -euo pipefail\n${waitReady(v, 10)}`);
    const dumpFile = hostDumpPath(v, 'restore');
    await t.run(`install -d -m 0700 ${dumpFile.replace(/\/[^/]+$/, '')}`);
    await t.put(dumpFile, dump, 0o600);
    const out = await runOk(t, 'loading the dump', loadScript(v));
    const appAccounts = Number(out.trim().split('\n').pop());
    return { manifest, control: await applyControl(cfg.dir, control), appAccounts };
  });
}
