import { join } from 'node:path';
import type { AgentConfig } from '../config';

/**
 * Where one app's files live on the agent host. `home` and what sits directly in it belong to
 * root; `work` (the app user's HOME) and everything below it belong to the app's user and are
 * only ever written by processes running as that user.
 */
export interface AppPaths {
  /** `<appsDir>/<code>`: root 0755. */
  home: string;
  /** `<home>/work`: the app user's, 0750. */
  work: string;
  /** The running version (a git checkout, or an unpacked S-mart package root). */
  code: string;
  /** A version being built; swapped into `code` only once it built. */
  next: string;
  /** The version before the last swap, kept until the new one answered. */
  old: string;
  /** Python virtualenvs, one per requirements hash (`venvs/<hash>`). */
  venvs: string;
  /** Shell-syntax env file (root:<app group> 0640) the programs source. */
  envFile: string;
  /** The app's local port, kept across deploys. */
  portFile: string;
  /** Collected static files, copied out of the app's tree by root for nginx (root 0755). */
  static: string;
  /** Supervisor program file and nginx location file. */
  program: string;
  location: string;
  /** The programs' output (written by supervisord). */
  logFile: string;
  /** The app's own log folder (`BK_LOG_DIR/<code>`), the app user's. */
  appLogDir: string;
}

/** Paths of app `code`. */
export function appPaths(cfg: AgentConfig, code: string): AppPaths {
  const home = join(cfg.appsDir, code);
  const work = join(home, 'work');
  return {
    home,
    work,
    code: join(work, 'code'),
    next: join(work, 'code.next'),
    old: join(work, 'code.old'),
    venvs: join(work, 'venvs'),
    envFile: join(home, 'app.env'),
    portFile: join(home, 'port'),
    static: join(home, 'static'),
    program: join(cfg.supervisor.includeDir, `app-${code}.conf`),
    location: join(cfg.nginx.includeDir, `app-${code}.conf`),
    logFile: join(cfg.logDir, `app-${code}.log`),
    appLogDir: join(cfg.logDir, code),
  };
}

/** PATH with the platform node's folder first, so npm and app scripts use it. */
export function toolEnv(cfg: AgentConfig, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const nodeDir = cfg.nodeBin.slice(0, cfg.nodeBin.lastIndexOf('/'));
  return {
    PATH: `${nodeDir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    HOME: process.env.HOME ?? '/root',
    LANG: 'C.UTF-8',
    ...extra,
  };
}

/** Paths that go into supervisor and nginx configs: plain characters only (no quotes, spaces, newlines). */
export function safePath(p: string, what: string): string {
  if (!/^\/[A-Za-z0-9._/-]*$/.test(p) || p.includes('/../') || p.endsWith('/..'))
    throw new Error(`${what}: expected a plain absolute path, got ${JSON.stringify(p)}`);
  return p;
}
