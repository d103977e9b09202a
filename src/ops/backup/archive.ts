// The archive file: a gzip'd tar (GNU tar on the controller) of manifest.json, db/ and control/,
// root-only from its first byte; unpacked only into a private folder after its listing is checked.
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MANIFEST, Manifest, verifyUnpacked } from './manifest';

/** Runs tar under umask 077 (its arguments are paths, never secrets); rejects with its stderr. */
function tar(args: string[]): Promise<string> {
  return new Promise((res, rej) => {
    const p = spawn('sh', ['-c', 'umask 077; exec tar "$@"', 'tar', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (c) => (out += c));
    p.stderr.on('data', (c) => (err += c));
    p.on('error', rej);
    p.on('close', (code) =>
      code === 0 ? res(out) : rej(new Error(`tar ${args[0]}: ${err.trim() || `exit ${code}`}`)),
    );
  });
}

/** A private scratch folder (0700) that `fn` fills or reads; removed afterwards whatever happens. */
export async function withScratch<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'bkcec-backup-'));
  try {
    await chmod(dir, 0o700);
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes `files` (archive path → content) under `dir`, each 0600. */
export async function stage(dir: string, files: ReadonlyMap<string, Buffer>): Promise<void> {
  for (const [path, data] of files) {
    const to = join(dir, path);
    await mkdir(dirname(to), { recursive: true, mode: 0o700 });
    await writeFile(to, data, { mode: 0o600 });
  }
}

/** Packs a staged folder into `out` (0600; written beside it, then renamed into place). */
export async function pack(dir: string, out: string, m: Manifest): Promise<void> {
  await writeFile(join(dir, MANIFEST), `${JSON.stringify(m, null, 2)}\n`, { mode: 0o600 });
  const partial = `${out}.partial`;
  await rm(partial, { force: true });
  const tops = [MANIFEST, ...new Set(m.files.map((f) => f.path.split('/')[0]!))];
  await tar(['-czf', partial, '--owner=0', '--group=0', '--numeric-owner', '-C', dir, ...tops]);
  await chmod(partial, 0o600);
  await rename(partial, out);
}

/**
 * The archive's member names after checking its listing: regular files and folders only (no links,
 * devices or absolute / `..` names). Throws on an unreadable or damaged gzip/tar.
 */
async function members(archive: string): Promise<string[]> {
  const listing = await tar(['-tvzf', archive, '--numeric-owner', '--quoting-style=escape']);
  const files: string[] = [];
  for (const line of listing.split('\n').filter(Boolean)) {
    const name = line.split(/\s+/).slice(5).join(' ');
    const type = line[0];
    if (
      (type !== '-' && type !== 'd') ||
      / (->|link to) /.test(line) ||
      name.startsWith('/') ||
      /(^|\/)\.\.(\/|$)/.test(name)
    )
      throw new Error(
        `${archive}: refusing member ${JSON.stringify(name)} (only plain files and folders belong in a bkcec backup)`,
      );
    if (type === '-') files.push(name.replace(/^\.\//, ''));
  }
  return files;
}

/** Unpacks and checks `archive` into private `dir`; returns its manifest, or throws listing every problem. */
export async function unpack(archive: string, dir: string): Promise<Manifest> {
  const present = await members(archive).catch((e: Error) => {
    throw new Error(
      `${archive}: expected a readable bkcec backup (gzip'd tar), found it damaged; nothing was changed: ${e.message}`,
    );
  });
  if (!present.includes(MANIFEST))
    throw new Error(`${archive}: expected ${MANIFEST} in the archive, found none`);
  await tar(['-xzf', archive, '-C', dir, '--no-same-owner', '--no-same-permissions']);
  let m: Manifest;
  try {
    m = Manifest.parse(JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')));
  } catch (e) {
    throw new Error(`${archive}: ${MANIFEST} is not a bkcec backup manifest: ${(e as Error).message}`);
  }
  const problems = await verifyUnpacked(dir, m, present);
  if (problems.length)
    throw new Error(`${archive} is damaged; nothing was changed:\n  ${problems.join('\n  ')}`);
  return m;
}
