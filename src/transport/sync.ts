// Ships a local folder (or a list of files) to a host, sending only what changed by content.
// A re-run with nothing changed costs one remote round trip: a scan that trusts the remote
// manifest where size and times still match.

import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { shq } from './shell';
import { excluder, type LocalEntry, scanLocal } from './sync-local';
import { APPLY_SCRIPT, applyCommand, scanScript } from './sync-remote';
import { type TarEntry, tarStream } from './tar';
import type { Transport } from './transport';

/** What a sync did; paths are relative to the synced folder. */
export interface SyncResult {
  sent: string[];
  deleted: string[];
  unchanged: number;
}

interface RemoteEntry {
  type: 'file' | 'symlink';
  mode: number;
  value: string;
}

/**
 * Makes `remoteDir` hold the files and symlinks of `localDir` (contents, modes, link targets).
 * `delete` removes remote files the local tree no longer has (inside remoteDir only);
 * `exclude` patterns (see `excluder`) are neither sent nor deleted.
 */
export async function syncTree(
  t: Transport,
  localDir: string,
  remoteDir: string,
  opts: { delete?: boolean; exclude?: string[] } = {},
): Promise<SyncResult> {
  const skip = excluder(opts.exclude ?? []);
  const [local, remote] = await Promise.all([scanLocal(localDir, skip), scanRemote(t, remoteDir)]);
  const send = [...local.values()].filter((e) => !same(e, remote.get(e.path))).sort(byFolder);
  const deleted = opts.delete ? [...remote.keys()].filter((p) => !local.has(p) && !skip(p)) : [];
  if (send.length || deleted.length) {
    const r = await t.exec(applyCommand(remoteDir), { stdin: tarStream(members(send, deleted)) });
    if (r.code !== 0)
      throw new Error(
        `${t.host}: sync of ${localDir} to ${remoteDir} failed (exit ${r.code}): ${tail(r.stderr)}`,
      );
  }
  return {
    sent: send.map((e) => e.path).sort(),
    deleted: deleted.sort(),
    unchanged: local.size - send.length,
  };
}

async function scanRemote(t: Transport, dir: string): Promise<Map<string, RemoteEntry>> {
  const r = await t.run(scanScript(dir));
  if (r.code !== 0) throw new Error(`${t.host}: cannot list ${dir} (exit ${r.code}): ${tail(r.stderr)}`);
  const fields = r.stdout.split('\0');
  const found = new Map<string, RemoteEntry>();
  for (let i = 0; i + 4 <= fields.length; i += 4) {
    const [y, mode, value, path] = fields.slice(i, i + 4) as [string, string, string, string];
    found.set(path, { type: y === 'f' ? 'file' : 'symlink', mode: Number.parseInt(mode, 8), value });
  }
  return found;
}

/** Files of one folder next to each other, so the host moves them with one `mv`. */
function byFolder(a: LocalEntry, b: LocalEntry): number {
  const folder = (p: string) => p.slice(0, Math.max(0, p.lastIndexOf('/')));
  return folder(a.path).localeCompare(folder(b.path)) || a.path.localeCompare(b.path);
}

function same(e: LocalEntry, r: RemoteEntry | undefined): boolean {
  return !!r && r.type === e.type && r.value === e.value && (e.type === 'symlink' || r.mode === e.mode);
}

async function* members(send: LocalEntry[], deleted: string[]): AsyncGenerator<TarEntry> {
  const now = Date.now() / 1000;
  const list = (paths: string[]) => Buffer.from(paths.map((p) => `${p}\0`).join(''));
  yield { type: 'file', name: 'apply.sh', mode: 0o700, mtime: now, data: Buffer.from(APPLY_SCRIPT) };
  yield { type: 'file', name: 'delete.list', mode: 0o600, mtime: now, data: list(deleted) };
  yield { type: 'file', name: 'files.list', mode: 0o600, mtime: now, data: list(send.map((e) => e.path)) };
  // The hashes the host would otherwise compute again for its manifest.
  const sums = send.flatMap((e) => (e.type === 'file' ? [e.path, e.value] : []));
  yield { type: 'file', name: 'sums.list', mode: 0o600, mtime: now, data: list(sums) };
  for (const e of send) {
    const name = `f/${e.path}`;
    if (e.type === 'symlink') yield { type: 'symlink', name, mode: 0o777, mtime: e.mtime, target: e.value };
    else yield { type: 'file', name, mode: e.mode, mtime: e.mtime, data: await readFile(e.abs) };
  }
}

/** One file to place with `syncFiles`; `mode` defaults to the local file's. */
export interface FileCopy {
  local: string;
  remote: string;
  mode?: number;
}

/**
 * Puts each local file at its remote path unless the remote already has the same content and
 * mode. One round trip to compare, then one atomic put per changed file. Returns the remote
 * paths written.
 */
export async function syncFiles(t: Transport, files: FileCopy[]): Promise<string[]> {
  if (files.length === 0) return [];
  const words = files.map((f) => shq(f.remote)).join(' ');
  const script = `for p in ${words}; do if [ -f "$p" ]; then printf '%s\\0%s\\0' "$(stat -c %a -- "$p")" "$(sha256sum < "$p" | cut -c1-64)"; else printf '\\0\\0'; fi; done\n`;
  const r = await t.run(script);
  if (r.code !== 0) throw new Error(`${t.host}: cannot check files (exit ${r.code}): ${tail(r.stderr)}`);
  const fields = r.stdout.split('\0');
  const written: string[] = [];
  for (const [i, f] of files.entries()) {
    const [data, st] = await Promise.all([readFile(f.local), stat(f.local)]);
    const mode = f.mode ?? st.mode & 0o7777;
    const sha = createHash('sha256').update(data).digest('hex');
    if (fields[2 * i] === mode.toString(8) && fields[2 * i + 1] === sha) continue;
    await t.put(f.remote, data, mode);
    written.push(f.remote);
  }
  return written;
}

function tail(text: string): string {
  return text.trim().split('\n').slice(-5).join('\n') || '(no stderr)';
}
