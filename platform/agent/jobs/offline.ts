import { rm } from 'node:fs/promises';
import type { AgentConfig } from '../config';
import { urlPrefix } from '../config';
import { appPaths } from '../runtime/layout';
import { testAndReload, waitRouted } from '../runtime/nginx';
import { ctl } from '../runtime/supervisor';
import type { JobLog } from './reporter';
import type { JobRequest } from './request';

/** The offline job: unroute, stop and remove the program, delete the app's files and log. */
export async function offline(
  cfg: AgentConfig,
  job: JobRequest,
  log: JobLog,
  signal: AbortSignal,
): Promise<void> {
  const p = appPaths(cfg, job.app_code);
  await rm(p.location, { force: true });
  await testAndReload(cfg, log, signal);
  await waitRouted(cfg, job.app_code, urlPrefix(cfg, job.app_code), false, signal);
  log.line(`${job.app_code}: route removed`);
  await ctl(cfg, ['stop', `app-${job.app_code}:*`], signal).catch(() => undefined);
  await rm(p.program, { force: true });
  const out = await ctl(cfg, ['update', `app-${job.app_code}`], signal).catch((e: Error) => e.message);
  log.line(out.trim() || `app-${job.app_code}: not known to supervisor`);
  await rm(p.home, { recursive: true, force: true });
  await rm(p.logFile, { force: true });
  log.line(`${job.app_code}: files removed`);
}
