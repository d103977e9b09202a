// `bkcec backup [FILE]` and `bkcec restore ARCHIVE` (src/ops/backup does the work).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ControlConfig } from '../../config';
import { makePrivateDir } from '../../config/privdir';
import { runBackup } from '../../ops/backup/backup';
import { runRestore, verifyArchive } from '../../ops/backup/restore';
import type { Transport } from '../../transport/transport';
import type { GlobalOptions } from '../options';
import { type Deps, openSession } from '../session';
import { runEngineCommand } from './engine';

/** The session every command uses (control dir loaded, locked, transports) for `fn`; always closed. */
async function withHosts<T>(
  o: GlobalOptions,
  deps: Deps,
  fn: (cfg: ControlConfig, open: (ip: string) => Promise<Transport>) => Promise<T>,
): Promise<T> {
  const s = await openSession(o, deps);
  try {
    return await fn(s.cfg, s.engineOptions.openTransport);
  } finally {
    await s.close();
  }
}

const stamp = () => new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');

/** Writes the archive (default: CONTROL_DIR/backups/bkcec-<time>.tar.gz); 0 on success. */
export async function runBackupCommand(
  o: GlobalOptions,
  file: string | undefined,
  deps: Deps,
): Promise<number> {
  const out = deps.stdout ?? process.stdout;
  let target = file ? resolve(file) : undefined;
  if (!target) {
    const dir = join(resolve(o.controlDir), 'backups');
    makePrivateDir(dir);
    target = join(dir, `bkcec-${stamp()}.tar.gz`);
  }
  if (existsSync(target))
    throw new Error(`${target} exists: expected a new file name (a backup never overwrites one)`);
  const r = await withHosts(o, deps, (cfg, open) => runBackup(cfg, open, target));
  out.write(
    o.json
      ? `${JSON.stringify({ type: 'backup', archive: r.archive, databases: r.manifest.databases, packages: r.manifest.packages.length, files: r.manifest.files.length })}\n`
      : `backup written: ${r.archive} (mode 0600)\n  databases: ${r.manifest.databases.join(', ')}\n  S-mart packages: ${r.manifest.packages.length}\n  files: ${r.manifest.files.length}, each with its SHA-256 in manifest.json\n`,
  );
  return 0;
}

/** Checks the archive whole, restores it, then restarts paas; 0 on success, 1 when the restart failed. */
export async function runRestoreCommand(
  o: GlobalOptions,
  archive: string,
  opts: { verifyOnly?: boolean },
  deps: Deps,
): Promise<number> {
  const out = deps.stdout ?? process.stdout;
  const path = resolve(archive);
  if (opts.verifyOnly) {
    const m = await verifyArchive(path);
    out.write(
      `${path}: whole (${m.files.length} files match the manifest; made ${m.created} on ${m.source.fqdn})\n`,
    );
    return 0;
  }
  const r = await withHosts(o, deps, (cfg, open) => runRestore(cfg, open, path));
  if (!o.json)
    out.write(
      `restored ${r.manifest.databases.join(', ')} from ${path} (made ${r.manifest.created})\n` +
        `  app database accounts: ${r.appAccounts}\n` +
        `  control directory: ${r.control.length ? `${r.control.join(', ')} taken from the archive` : 'unchanged'}\n` +
        'restarting paas so every program reads the restored database…\n',
    );
  return runEngineCommand(o, 'restart', 'paas', undefined, deps);
}
