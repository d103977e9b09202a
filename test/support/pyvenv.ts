import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** A Python virtual environment with pinned requirements installed. */
export interface PyVenv {
  /** The venv folder (`~/.cache/bkcec/venvs/<hash>`). */
  dir: string;
  /** Its interpreter (`<dir>/bin/python`). */
  python: string;
  /** The Python 3 the venv was made with. */
  basePython: string;
  /** Path of a console script in the venv, e.g. `bin('gunicorn')`. */
  bin(name: string): string;
}

/** Options: extra `pip install` arguments (e.g. `--no-index --find-links DIR`), part of the cache key. */
export interface PyVenvOptions {
  pipArgs?: readonly string[];
  /** Bound on making the venv and installing (default 10 min). */
  timeoutMs?: number;
}

const READY = '.bkcec-ready';
const LOCK_STALE_MS = 20 * 60_000;
/** `name==version` or `name[extra]==version`, nothing else (no markers, options or URLs). */
const PINNED = /^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?==[A-Za-z0-9.+!_-]+$/;

/** Root of the venv cache. */
export function venvCacheRoot(): string {
  return join(homedir(), '.cache', 'bkcec', 'venvs');
}

function run(cmd: string, args: readonly string[], timeoutMs: number): Promise<string> {
  const env = { ...process.env };
  for (const k of ['PYTHONPATH', 'PYTHONHOME', 'VIRTUAL_ENV', 'PIP_REQUIRE_VIRTUALENV']) delete env[k];
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-25).join('\n');
        reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${tail}`));
      } else resolve(`${stdout}${stderr}`);
    }),
  );
}

async function works(python: string): Promise<boolean> {
  try {
    const v = await run(python, ['-c', 'import sys, venv, ensurepip; print(sys.version_info[0])'], 30_000);
    return v.trim() === '3';
  } catch {
    return false;
  }
}

/**
 * The Python 3 to make venvs with: Debian's `/usr/bin/python3` when it has `venv` and `ensurepip`
 * (package python3-venv), else `python3` on PATH. Throws saying what to install when neither works.
 */
export async function findPython3(): Promise<string> {
  for (const p of ['/usr/bin/python3', 'python3']) if (await works(p)) return p;
  throw new Error('no Python 3 with venv and ensurepip: install python3 and python3-venv (tools/setup does)');
}

async function lock(path: string, timeoutMs: number): Promise<() => Promise<void>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(path);
      return () => rm(path, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const age = await stat(path).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > LOCK_STALE_MS) await rm(path, { recursive: true, force: true });
      else if (Date.now() > end) throw new Error(`timed out waiting for ${path}`);
      else await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/**
 * A venv with exactly these pinned requirements (`name==version`), made once and cached under
 * `~/.cache/bkcec/venvs/<sha256 of the sorted list and pip arguments>`. Concurrent callers (test
 * files in parallel) wait for one another; a half-made venv (no ready marker) is made again.
 */
export async function pyVenv(requirements: readonly string[], opts: PyVenvOptions = {}): Promise<PyVenv> {
  const reqs = [...requirements].map((r) => r.trim()).sort();
  if (reqs.length === 0) throw new Error('pyVenv: no requirements');
  for (const r of reqs) if (!PINNED.test(r)) throw new Error(`pyVenv: requirement not pinned: ${r}`);
  const pipArgs = opts.pipArgs ?? [];
  const timeoutMs = opts.timeoutMs ?? 10 * 60_000;
  const key = createHash('sha256').update(JSON.stringify({ reqs, pipArgs })).digest('hex').slice(0, 16);
  const root = venvCacheRoot();
  const dir = join(root, key);
  const python = join(dir, 'bin', 'python');
  const done = (basePython: string): PyVenv => ({
    dir,
    python,
    basePython,
    bin: (name) => join(dir, 'bin', name),
  });
  const ready = join(dir, READY);
  if (existsSync(ready)) return done((await readFile(ready, 'utf8')).trim());
  await mkdir(root, { recursive: true });
  const unlock = await lock(`${dir}.lock`, timeoutMs);
  try {
    if (existsSync(ready)) return done((await readFile(ready, 'utf8')).trim());
    await rm(dir, { recursive: true, force: true });
    const base = await findPython3();
    await run(base, ['-m', 'venv', dir], timeoutMs);
    const reqFile = join(dir, 'requirements.txt');
    await writeFile(reqFile, `${reqs.join('\n')}\n`);
    await run(
      python,
      ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '-q', ...pipArgs, '-r', reqFile],
      timeoutMs,
    );
    await writeFile(ready, `${base}\n`);
    return done(base);
  } finally {
    await unlock();
  }
}
