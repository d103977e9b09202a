// The controller's side of a tree sync: walk a folder, hash its files (with an in-memory cache
// keyed on inode, size and times) and match exclude patterns.

import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';

/** A file or symlink of the local tree; `path` is relative with `/` separators. */
export interface LocalEntry {
  path: string;
  abs: string;
  type: 'file' | 'symlink';
  /** Permission bits (0o7777). */
  mode: number;
  mtime: number;
  /** sha256 hex for files, the link text for symlinks. */
  value: string;
}

const hashCache = new Map<string, { stamp: string; sha: string }>();
const hashLimit = pLimit(8);

/** Every file and symlink under `root` that `skip` does not exclude (folders are walked, not listed). */
export async function scanLocal(
  root: string,
  skip: (rel: string) => boolean,
): Promise<Map<string, LocalEntry>> {
  const found = new Map<string, LocalEntry>();
  const jobs: Promise<void>[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const d of await readdir(join(root, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${d.name}` : d.name;
      if (skip(path)) continue;
      const abs = join(root, path);
      if (d.isDirectory()) await walk(path);
      else if (d.isSymbolicLink() || d.isFile())
        jobs.push(hashLimit(() => entry(path, abs).then((e) => void found.set(path, e))));
    }
  };
  await walk('');
  await Promise.all(jobs);
  return found;
}

async function entry(path: string, abs: string): Promise<LocalEntry> {
  const st = await lstat(abs, { bigint: true });
  const base = { path, abs, mode: Number(st.mode & 0o7777n), mtime: Number(st.mtimeMs / 1000n) };
  if (st.isSymbolicLink()) return { ...base, type: 'symlink', value: await readlink(abs) };
  const stamp = `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  const cached = hashCache.get(abs);
  if (cached?.stamp === stamp) return { ...base, type: 'file', value: cached.sha };
  const sha = createHash('sha256')
    .update(await readFile(abs))
    .digest('hex');
  hashCache.set(abs, { stamp, sha });
  return { ...base, type: 'file', value: sha };
}

/**
 * A matcher for exclude patterns, gitignore-like: a pattern without `/` matches any path
 * component (`*.log`, `node_modules`); one with `/` matches from the tree's root (`/cache`,
 * `etc/*.bak`); `*` stays inside a component, `**` crosses them. A match on a folder covers all
 * below it.
 */
export function excluder(patterns: string[]): (rel: string) => boolean {
  const anywhere = patterns.filter((p) => !p.includes('/')).map(globRegExp);
  const rooted = patterns.filter((p) => p.includes('/')).map((p) => globRegExp(p.replace(/^\/+|\/+$/g, '')));
  return (rel) => {
    const parts = rel.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      if (anywhere.some((r) => r.test(parts[i - 1] ?? ''))) return true;
      if (rooted.some((r) => r.test(prefix))) return true;
    }
    return false;
  };
}

function globRegExp(glob: string): RegExp {
  let body = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      body += '.*';
      i++;
    } else if (c === '*') body += '[^/]*';
    else if (c === '?') body += '[^/]';
    else body += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${body}$`);
}
