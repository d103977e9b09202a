// File transfer over one reused SFTP channel: atomic writes (temp file, chmod, posix-rename)
// and whole-file reads.

import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import type { SFTPWrapper } from 'ssh2';

const NO_SUCH_FILE = 2;

/** Writes `content` to `path` atomically with `mode`, creating parent folders. */
export async function sftpPut(
  sftp: SFTPWrapper,
  path: string,
  content: Buffer | string,
  mode: number,
): Promise<void> {
  const dir = posix.dirname(path);
  await mkdirp(sftp, dir);
  const tmp = posix.join(dir, `.bkcec-put-${randomBytes(6).toString('hex')}`);
  try {
    await call<void>((cb) => sftp.writeFile(tmp, content, { mode }, cb));
    await call<void>((cb) => sftp.chmod(tmp, mode, cb)); // the remote umask may have narrowed it
    await call<void>((cb) => sftp.ext_openssh_rename(tmp, path, cb));
  } catch (err) {
    await call<void>((cb) => sftp.unlink(tmp, cb)).catch(() => {});
    throw describe(err, `write ${path}`);
  }
}

/** Reads a whole remote file; a missing file rejects with code ENOENT. */
export async function sftpGet(sftp: SFTPWrapper, path: string): Promise<Buffer> {
  try {
    return await call<Buffer>((cb) => sftp.readFile(path, cb));
  } catch (err) {
    throw describe(err, `read ${path}`);
  }
}

async function mkdirp(sftp: SFTPWrapper, dir: string): Promise<void> {
  const exists = await call((cb) => sftp.stat(dir, cb)).then(
    () => true,
    () => false,
  );
  if (exists || dir === '/' || dir === '.') return;
  await mkdirp(sftp, posix.dirname(dir));
  await call<void>((cb) => sftp.mkdir(dir, cb)).catch(async (err) => {
    const raced = await call((cb) => sftp.stat(dir, cb)).then(
      () => true,
      () => false,
    );
    if (!raced) throw describe(err, `create folder ${dir}`);
  });
}

function call<T>(fn: (cb: (err: Error | null | undefined, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value as T))));
}

function describe(err: unknown, what: string): Error {
  const e = err as Error & { code?: number | string };
  if (e.code === NO_SUCH_FILE) {
    return Object.assign(new Error(`cannot ${what}: ENOENT: no such file or directory`, { cause: err }), {
      code: 'ENOENT',
    });
  }
  return new Error(`cannot ${what}: ${e.message}`, { cause: err });
}
