import { rm } from 'node:fs/promises';
import type { AgentConfig } from '../config';
import { urlPrefix } from '../config';
import { appPaths } from '../runtime/layout';
import { testAndReload, waitRouted } from '../runtime/nginx';
import { ctl } from '../runtime/supervisor';
import { appUserName, removeAppUser } from '../runtime/users';
import { run } from './exec';
import type { JobLog } from './reporter';
import type { JobRequest } from './request';

const SYS = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' };

/**
 * The offline job: unroute, stop and remove the programs, end what the app's user still runs,
 * delete its files (the user's own tree as that user) and log, then the user itself.
 */
export async function offline(
  cfg: AgentConfig,
  job: JobRequest,
  log: JobLog,
  signal: AbortSignal,
): Promise<void> {
  const code = job.app_code;
  const p = appPaths(cfg, code);
  await rm(p.location, { force: true });
  await testAndReload(cfg, log, signal);
  await waitRouted(cfg, code, urlPrefix(cfg, code), false, signal);
  log.line(`${code}: route removed`);
  await ctl(cfg, ['stop', `app-${code}:*`], signal).catch(() => undefined);
  await rm(p.program, { force: true });
  const out = await ctl(cfg, ['update', `app-${code}`], signal).catch((e: Error) => e.message);
  log.line(out.trim() || `app-${code}: not known to supervisor`);
  const name = appUserName(cfg, code);
  const id = async (flag: string) =>
    Number((await run('id', [flag, name], { env: SYS, signal }).catch(() => '')).trim());
  const [uid, gid] = [await id('-u'), await id('-g')];
  if (uid > 0 && gid > 0) {
    // whatever the app left running (daemonized children) ends with it
    await run('pkill', ['-KILL', '-U', String(uid)], { env: SYS, signal }).catch(() => undefined);
    for (const d of [p.work, p.appLogDir])
      await run('find', [d, '-mindepth', '1', '-delete'], { env: SYS, signal, user: { uid, gid } }).catch(
        (e: Error) => log.line(e.message),
      );
  }
  await rm(p.home, { recursive: true, force: true });
  await rm(p.appLogDir, { recursive: true, force: true });
  await rm(p.logFile, { force: true });
  await removeAppUser(cfg, code);
  log.line(`${code}: files and user ${name} removed`);
}
