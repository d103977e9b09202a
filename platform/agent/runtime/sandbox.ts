import { Readable } from 'node:stream';
import type { AgentConfig } from '../config';
import { run } from '../jobs/exec';
import type { JobLog } from '../jobs/reporter';
import type { AppPaths } from './layout';
import type { AppUser } from './users';

/** How a command runs as the app's user (output to the job log unless `quiet`). */
export interface UserRun {
  cwd?: string;
  env?: Record<string, string>;
  quiet?: boolean;
  /** Bytes for the command's stdin. */
  stdin?: Buffer;
}

/** One job's view of an app: everything below `p.work` is touched only through `asUser`. */
export interface AppCtx {
  cfg: AgentConfig;
  code: string;
  user: AppUser;
  p: AppPaths;
  log: JobLog;
  signal: AbortSignal;
  /** The app's environment (builds run with it: Django's migrate needs the DB variables). */
  env: Record<string, string>;
  /**
   * Runs `cmd args` as the app's user and resolves with its output: the root helper's `run` for
   * the agent API, a direct setuid spawn inside the helper.
   */
  exec(cmd: string, args: readonly string[], o: UserRun): Promise<string>;
}

/** The environment of a command run as the app's user: its HOME, the platform's tools first. */
export function userEnv(c: Omit<AppCtx, 'exec'>, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const nodeDir = c.cfg.nodeBin.slice(0, c.cfg.nodeBin.lastIndexOf('/'));
  return {
    ...c.env,
    PATH: `${nodeDir}:/usr/local/bin:/usr/bin:/bin`,
    HOME: c.p.work,
    USER: c.user.name,
    LOGNAME: c.user.name,
    LANG: 'C.UTF-8',
    ...extra,
  };
}

/** Run `cmd args` as the app's user (output to the job log unless `quiet`). */
export function asUser(c: AppCtx, cmd: string, args: readonly string[], o: UserRun = {}): Promise<string> {
  return c.exec(cmd, args, o);
}

/**
 * Inside the root helper: spawn as the app's user. `env --chdir` changes folder after the switch,
 * so a link in the app's tree is followed with the app user's rights, never root's.
 */
export function spawnAsUser(
  c: Omit<AppCtx, 'exec'>,
  cmd: string,
  args: readonly string[],
  o: UserRun,
): Promise<string> {
  const input = o.stdin === undefined ? undefined : Readable.from([o.stdin]);
  return spawnAs(c, cmd, args, { ...o, input });
}

/** `spawnAsUser` with a stream for stdin (the helper passes on the agent's). */
export function spawnAs(
  c: Omit<AppCtx, 'exec'>,
  cmd: string,
  args: readonly string[],
  o: Omit<UserRun, 'stdin'> & { input?: Readable },
): Promise<string> {
  return run('/usr/bin/env', ['--chdir', o.cwd ?? c.p.work, '--', cmd, ...args], {
    cwd: '/',
    env: userEnv(c, o.env),
    signal: c.signal,
    log: o.quiet ? undefined : c.log,
    user: c.user,
    input: o.input,
    label: `${cmd} ${args[0] ?? ''}`,
  });
}

/** A file of the app's tree read as the app's user (so a symlink cannot make root read for it). */
export async function readAsUser(c: AppCtx, file: string, max = 256 * 1024): Promise<string | undefined> {
  const out = await asUser(c, 'head', ['-c', String(max + 1), '--', file], { quiet: true }).catch(
    () => undefined,
  );
  if (out !== undefined && out.length > max) throw new Error(`${file}: expected at most ${max} bytes`);
  return out;
}

/** `test -<flag> path` as the app's user. */
export const testAsUser = (c: AppCtx, flag: 'e' | 'f' | 'd' | 'x', path: string): Promise<boolean> =>
  asUser(c, 'test', [`-${flag}`, path], { quiet: true }).then(
    () => true,
    () => false,
  );
