import type { AgentConfig } from '../config';
import { urlPrefix } from '../config';
import { ask } from '../helper/client';
import { waitRouted } from '../runtime/nginx';
import type { JobLog } from './reporter';
import type { JobRequest } from './request';

/**
 * The offline job: unroute, then the root helper stops and removes the programs, ends what the
 * app's user still runs, deletes its files (the user's own tree as that user) and log, then the
 * user itself.
 */
export async function offline(
  cfg: AgentConfig,
  job: JobRequest,
  log: JobLog,
  signal: AbortSignal,
): Promise<void> {
  const code = job.app_code;
  await ask(cfg, { op: 'unroute', code }, signal, log);
  await waitRouted(cfg, code, urlPrefix(cfg, code), false, signal);
  log.line(`${code}: route removed`);
  await ask(cfg, { op: 'remove', code }, signal, log);
}
