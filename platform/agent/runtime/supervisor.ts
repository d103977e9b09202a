import type { AgentConfig } from '../config';
import { run } from '../jobs/exec';
import type { JobLog } from '../jobs/reporter';
import { toolEnv } from './layout';

/** `'` quoting for sh. */
export const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The app's env file (sourced by sh with `set -a`): values never reach the supervisor config. */
export function envFile(env: Record<string, string>): string {
  return `${Object.entries(env)
    .map(([k, v]) => `${k}=${shq(v)}`)
    .join('\n')}\n`;
}

/** Run supervisorctl against the host's supervisord; resolves with its output. */
export function ctl(
  cfg: AgentConfig,
  args: readonly string[],
  signal: AbortSignal,
  log?: JobLog,
): Promise<string> {
  return run(cfg.supervisor.ctlBin, ['-c', cfg.supervisor.conf, ...args], { env: toolEnv(cfg), signal, log });
}

/**
 * `update` the app's group (adds or re-reads it), restarting it when update did not. A program
 * that fails to spawn is only logged here: the health wait decides, with the app's own output.
 */
export async function startProgram(
  cfg: AgentConfig,
  code: string,
  log: JobLog,
  signal: AbortSignal,
): Promise<void> {
  const out = await ctl(cfg, ['update', `app-${code}`], signal, log);
  if (!/added|updated/.test(out))
    await ctl(cfg, ['restart', `app-${code}:*`], signal, log).catch((e: Error) => log.line(e.message));
}

/** The web program's state word (RUNNING, BACKOFF, FATAL …), or '' when supervisor does not know it. */
export async function programState(cfg: AgentConfig, code: string, signal: AbortSignal): Promise<string> {
  const out = await ctl(cfg, ['status', `app-${code}:app-${code}-web`], signal).catch(
    (e: Error) => e.message,
  );
  return /\s(RUNNING|STARTING|BACKOFF|FATAL|EXITED|STOPPED|STOPPING)\b/.exec(out)?.[1] ?? '';
}
