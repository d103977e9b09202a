import type { AgentConfig } from '../config';
import { run } from '../jobs/exec';
import type { JobLog } from '../jobs/reporter';
import type { AppPaths } from './layout';
import { toolEnv } from './layout';

/** `'` quoting for sh. */
export const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The app's env file (sourced by sh with `set -a`): values never reach the supervisor config. */
export function envFile(env: Record<string, string>): string {
  return `${Object.entries(env)
    .map(([k, v]) => `${k}=${shq(v)}`)
    .join('\n')}\n`;
}

/** The `[program:app-<code>]` section: sh sources the env file, then execs node on the entry. */
export function programConf(cfg: AgentConfig, code: string, p: AppPaths, entry: string): string {
  const cmd = `set -a && . ${shq(p.envFile)} && set +a && exec ${shq(cfg.nodeBin)} ${shq(entry)}`;
  return [
    `; written by the bkcec agent for app ${code}`,
    `[program:app-${code}]`,
    `command=/bin/sh -c "${cmd.replace(/"/g, '\\"')}"`,
    `directory=${p.code}`,
    cfg.appUser ? `user=${cfg.appUser}` : '',
    'autostart=true',
    'autorestart=true',
    'startsecs=1',
    'startretries=3',
    'stopasgroup=true',
    'killasgroup=true',
    'stopwaitsecs=10',
    `stdout_logfile=${p.logFile}`,
    'redirect_stderr=true',
    'stdout_logfile_maxbytes=20MB',
    'stdout_logfile_backups=3',
    '',
  ]
    .filter((l, i, a) => l !== '' || i === a.length - 1)
    .join('\n');
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

/** The program's state word (RUNNING, BACKOFF, FATAL …), or '' when supervisor does not know it. */
export async function programState(cfg: AgentConfig, code: string, signal: AbortSignal): Promise<string> {
  const out = await ctl(cfg, ['status', `app-${code}:*`], signal).catch((e: Error) => e.message);
  return /\s(RUNNING|STARTING|BACKOFF|FATAL|EXITED|STOPPED|STOPPING)\b/.exec(out)?.[1] ?? '';
}
