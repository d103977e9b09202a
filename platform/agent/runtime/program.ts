import type { AgentConfig } from '../config';
import { type AppPaths, safePath } from './layout';
import type { AppUser } from './users';

/** What a build produced: the programs to run and where its static files are. */
export interface Built {
  /** What the code was found to be. */
  language?: 'python' | 'nodejs';
  /** The code folder the programs run in. */
  directory: string;
  /** The web program's argv (it listens on 127.0.0.1:<port>). */
  web: string[];
  /** Celery worker and beat argv, when the app asked for them. */
  celery?: string[];
  beat?: string[];
  /** Variables the programs get besides the app's env file. */
  env: Record<string, string>;
  /** Collected static files, served by nginx at `url` (under the app's prefix). */
  static?: { dir: string; url: string };
}

/** One argv word or env value for a supervisor config: no quotes, spaces, `%`, newlines or `;`. */
const WORD = /^[A-Za-z0-9._/:=@+,-]+$/;
function word(s: string, what: string): string {
  if (!WORD.test(s))
    throw new Error(
      `${what}: expected plain characters (letters, digits, ._/:=@+,-), got ${JSON.stringify(s)}`,
    );
  return s;
}

/**
 * The `[group:app-<code>]` with its programs (web, and celery/beat when built): each runs as the
 * app's user, `sh` sources the env file then execs the validated argv. Nothing from the app's
 * code or env reaches this file unchecked; env values stay in the env file.
 */
export function programConf(cfg: AgentConfig, code: string, p: AppPaths, user: AppUser, b: Built): string {
  const env = Object.entries(b.env)
    .map(([k, v]) => `${word(k, 'variable name')}=${word(v, `value of ${k}`)}`)
    .join(' ');
  const names: string[] = [];
  const section = (kind: string, argv: string[]) => {
    const name = `app-${code}-${kind}`;
    names.push(name);
    const cmd = argv.map((a, i) => word(a, i === 0 ? `${kind} program` : `${kind} argument`)).join(' ');
    return [
      `[program:${name}]`,
      `command=/bin/sh -c "set -a && . ${safePath(p.envFile, 'env file')} && set +a && exec env ${env} ${cmd}"`,
      `directory=${safePath(b.directory, 'code folder')}`,
      `user=${word(user.name, 'user')}`,
      `environment=HOME="${safePath(p.work, 'home')}",USER="${user.name}",LOGNAME="${user.name}"`,
      'autostart=true',
      'autorestart=true',
      'startsecs=1',
      'startretries=3',
      'stopasgroup=true',
      'killasgroup=true',
      'stopwaitsecs=10',
      `stdout_logfile=${safePath(p.logFile, 'log file')}`,
      'redirect_stderr=true',
      'stdout_logfile_maxbytes=20MB',
      'stdout_logfile_backups=3',
      '',
    ].join('\n');
  };
  const body = [section('web', b.web)];
  if (b.celery) body.push(section('celery', b.celery));
  if (b.beat) body.push(section('beat', b.beat));
  if (cfg.userPrefix !== undefined) word(cfg.userPrefix, 'userPrefix');
  return [
    `; written by the bkcec agent for app ${code}`,
    `[group:app-${code}]`,
    `programs=${names.join(',')}`,
    '',
    ...body,
  ].join('\n');
}
