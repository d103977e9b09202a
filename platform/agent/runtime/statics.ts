import { constants } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../jobs/exec';
import { toolEnv } from './layout';
import { type AppCtx, asUser } from './sandbox';

/**
 * Publish the collected static files: the app's user packs them (so only what it can read gets
 * out), root unpacks the archive into the root-owned `<home>/static` (GNU tar: no absolute or `..`
 * members, no writes through symlinks; nginx serves with disable_symlinks on).
 */
export async function publishStatic(c: AppCtx, dir: string): Promise<string> {
  const tarFile = join(c.p.work, '.static.tar');
  await asUser(c, 'tar', ['-C', dir, '-cf', tarFile, '.'], { quiet: true });
  const next = `${c.p.static}.next`;
  await rm(next, { recursive: true, force: true });
  await run('mkdir', ['-m', '0755', '--', next], { env: toolEnv(c.cfg), signal: c.signal });
  const fh = await open(tarFile, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const st = await fh.stat();
    if (!st.isFile() || st.uid !== c.user.uid)
      throw new Error('expected the static archive to be a file of the app user');
    await run(
      'tar',
      ['-xf', '-', '-C', next, '--no-same-owner', '--no-same-permissions', '--no-overwrite-dir'],
      {
        env: toolEnv(c.cfg),
        signal: c.signal,
        stdin: fh.fd,
      },
    );
  } finally {
    await fh.close();
  }
  // readable by nginx whatever the umasks were (chmod -R does not follow links it meets)
  await run('chmod', ['-R', 'u=rwX,go=rX', '--', next], { env: toolEnv(c.cfg), signal: c.signal });
  await asUser(c, 'rm', ['-f', '--', tarFile], { quiet: true });
  await rm(`${c.p.static}.old`, { recursive: true, force: true });
  await rename(c.p.static, `${c.p.static}.old`).catch(() => undefined);
  await rename(next, c.p.static);
  await rm(`${c.p.static}.old`, { recursive: true, force: true });
  return c.p.static;
}
