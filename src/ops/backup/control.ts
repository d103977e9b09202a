// The control directory's part of a backup: its config, secrets, tokens and certificates (not the
// journal or logs, which belong to the hosts of the day). On restore only what the restored database
// is bound to comes back; the rest stays what the freshly deployed hosts hold.
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { CONTROL_FILES } from '../../config/control';
import { parseEnvFile } from '../../config/envfile';
import { consulTokensPath } from '../../modules/consul/acl/tokens';
import { controlCertDir } from '../../modules/license/paths';
import { appTokenPath, parseAppTokens } from '../../modules/paas/tokens';

const PREFIX = 'control/';

/** Every regular file under `dir`, as paths relative to `root`. */
async function filesUnder(root: string, dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(root, p)));
    else if (e.isFile()) out.push(relative(root, p));
  }
  return out;
}

/** The control files to keep, as archive path → content. */
export async function controlFiles(dir: string): Promise<Map<string, Buffer>> {
  const names = [
    ...CONTROL_FILES,
    relative(dir, appTokenPath(dir)),
    relative(dir, consulTokensPath(dir)),
    ...(await filesUnder(dir, controlCertDir(dir))),
  ];
  const out = new Map<string, Buffer>();
  for (const n of names) {
    const data = await readFile(join(dir, n)).catch(() => undefined);
    if (data) out.set(PREFIX + n, data);
  }
  return out;
}

/** What a restore writes into the control directory: the data-bound values the archive holds. */
export interface ControlRestore {
  /** `.app.token` of the archive: the platform apps' ESB accounts in the database carry these. */
  appTokens?: string;
  /** PAAS_ADMIN_PASS of the archive: the admin account in the database has this password. */
  adminPass?: string;
}

/** Reads the data-bound values from an unpacked archive at `unpacked`; throws on malformed ones. */
export async function archivedControl(unpacked: string): Promise<ControlRestore> {
  const read = (n: string) => readFile(join(unpacked, PREFIX, n), 'utf8').catch(() => undefined);
  const tokens = await read('.app.token');
  if (tokens !== undefined) parseAppTokens(tokens, 'archive control/.app.token');
  const globals = await read('globals.env');
  const admin =
    globals === undefined
      ? undefined
      : parseEnvFile(globals, 'archive control/globals.env').vars.get('PAAS_ADMIN_PASS');
  if (admin !== undefined && (typeof admin !== 'string' || /['\n\r]/.test(admin)))
    throw new Error('archive control/globals.env: expected PAAS_ADMIN_PASS as one plain value');
  return { appTokens: tokens, adminPass: admin as string | undefined };
}

/** Writes `file` atomically with mode 0600. */
async function writePrivate(file: string, text: string): Promise<void> {
  await writeFile(`${file}.restore`, text, { mode: 0o600 });
  await rename(`${file}.restore`, file);
}

/** Applies `r` to control directory `dir`; returns what changed, for the operator. */
export async function applyControl(dir: string, r: ControlRestore): Promise<string[]> {
  const changed: string[] = [];
  const tokenFile = appTokenPath(dir);
  if (r.appTokens !== undefined && r.appTokens !== (await readFile(tokenFile, 'utf8').catch(() => ''))) {
    await writePrivate(tokenFile, r.appTokens);
    changed.push('.app.token');
  }
  const gFile = join(dir, 'globals.env');
  const globals = await readFile(gFile, 'utf8');
  if (r.adminPass !== undefined && parseEnvFile(globals, gFile).vars.get('PAAS_ADMIN_PASS') !== r.adminPass) {
    const line = `export PAAS_ADMIN_PASS='${r.adminPass}'`;
    const re = /^(export\s+)?PAAS_ADMIN_PASS=.*$/m;
    await writePrivate(
      gFile,
      re.test(globals) ? globals.replace(re, () => line) : `${globals.trimEnd()}\n${line}\n`,
    );
    changed.push('globals.env PAAS_ADMIN_PASS');
  }
  return changed;
}
