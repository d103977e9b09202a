import { z } from 'zod';
import type { AgentConfig } from '../config';
import { type AppPaths, safePath } from './layout';
import type { AppUser } from './users';

const argv = z.array(z.string()).min(1);

/**
 * What a build produced: the programs to run and where its static files are. It crosses from the
 * agent to the root helper, which checks it against this schema (unknown fields refused) before
 * `programConf` renders it: a new kind of program needs a field here and a section below.
 */
export const BuiltSchema = z.strictObject({
  /** What the code was found to be. */
  language: z.enum(['python', 'nodejs']).optional(),
  /** The code folder the programs run in. */
  directory: z.string(),
  /** The web program's argv (it listens on 127.0.0.1:<port>). */
  web: argv,
  /** Celery worker and beat argv, when the app asked for them. */
  celery: argv.optional(),
  beat: argv.optional(),
  /** Variables the programs get besides the app's env file. */
  env: z.record(z.string(), z.string()),
  /** Collected static files, served by nginx at `url` (under the app's prefix). */
  static: z.strictObject({ dir: z.string(), url: z.string() }).optional(),
});
export type Built = z.infer<typeof BuiltSchema>;

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
  const dir = safePath(b.directory, 'code folder');
  if (!dir.startsWith(`${p.work}/`))
    throw new Error(`code folder: expected a folder below ${p.work}, got ${JSON.stringify(dir)}`);
  const names: string[] = [];
  const section = (kind: string, argv: string[]) => {
    const name = `app-${code}-${kind}`;
    names.push(name);
    const cmd = argv.map((a, i) => word(a, i === 0 ? `${kind} program` : `${kind} argument`)).join(' ');
    return [
      `[program:${name}]`,
      `command=/bin/sh -c "set -a && . ${safePath(p.envFile, 'env file')} && set +a && exec env ${env} ${cmd}"`,
      `directory=${dir}`,
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
