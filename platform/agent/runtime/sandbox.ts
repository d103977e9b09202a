import type { AgentConfig } from '../config';
import { run } from '../jobs/exec';
import type { JobLog } from '../jobs/reporter';
import type { AppPaths } from './layout';
import type { AppUser } from './users';

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
}

/** The environment of a command run as the app's user: its HOME, the platform's tools first. */
export function userEnv(c: AppCtx, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
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
export function asUser(
  c: AppCtx,
  cmd: string,
  args: readonly string[],
  o: { cwd?: string; env?: Record<string, string>; quiet?: boolean; stdin?: number } = {},
): Promise<string> {
  return run(cmd, args, {
    cwd: o.cwd ?? c.p.work,
    env: userEnv(c, o.env),
    signal: c.signal,
    log: o.quiet ? undefined : c.log,
    user: c.user,
    stdin: o.stdin,
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
