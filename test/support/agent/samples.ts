// Test helpers: the sample apps of platform/agent/samples as file maps, S-mart packages made from
// them, and wheels downloaded once with pip into a cache (so offline installs have their pkgs/).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';

const sh = promisify(execFile);
const SAMPLES = join(
  dirname(new URL(import.meta.url).pathname),
  '..',
  '..',
  '..',
  'platform',
  'agent',
  'samples',
);

/** Every file of `samples/<name>` (relative path → content). */
export async function sampleFiles(name: string): Promise<Record<string, string>> {
  const root = join(SAMPLES, name);
  const out: Record<string, string> = {};
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.name === '__pycache__') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out[relative(root, p)] = await readFile(p, 'utf8');
    }
  };
  await walk(root);
  return out;
}

/**
 * Wheels for pinned requirements (and their dependencies), downloaded once with Debian's pip into
 * `~/.cache/bkcec/wheels/<hash>`; returns the folder.
 */
export async function wheels(reqs: readonly string[]): Promise<string> {
  const key = createHash('sha256')
    .update(JSON.stringify([...reqs].sort()))
    .digest('hex')
    .slice(0, 16);
  const dir = join(homedir(), '.cache/bkcec/wheels', key);
  if (existsSync(join(dir, '.ready'))) return dir;
  const tmp = `${dir}.${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await sh(
    '/usr/bin/python3',
    ['-m', 'pip', 'download', '--disable-pip-version-check', '--only-binary=:all:', '-d', tmp, ...reqs],
    {
      timeout: 180_000,
    },
  );
  await writeFile(join(tmp, '.ready'), '');
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  return dir;
}

/** A `.tar.gz` of `files` under `top/` (S-mart layout when files hold app.yml, src/…, pkgs/…). */
export async function tarball(
  work: string,
  top: string,
  files: Record<string, string | Buffer>,
): Promise<Buffer> {
  const root = join(work, `tar-${Math.random().toString(36).slice(2)}`);
  for (const [f, body] of Object.entries(files)) {
    await mkdir(dirname(join(root, top, f)), { recursive: true });
    await writeFile(join(root, top, f), body);
  }
  const out = join(root, 'out.tar.gz');
  await sh('tar', ['-czf', out, '-C', root, top]);
  const buf = await readFile(out);
  await rm(root, { recursive: true, force: true });
  return buf;
}
