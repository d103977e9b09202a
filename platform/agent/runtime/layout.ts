import { join } from 'node:path';
import type { AgentConfig } from '../config';

/** Where one app's files live on the agent host. */
export interface AppPaths {
  /** `<appsDir>/<code>` */
  home: string;
  /** The running version. */
  code: string;
  /** A version being built; swapped into `code` only once it installed. */
  next: string;
  /** Shell-syntax env file (0600) the program sources. */
  envFile: string;
  /** The app's local port, kept across deploys. */
  portFile: string;
  /** Supervisor program file and nginx location file. */
  program: string;
  location: string;
  /** The app's output. */
  logFile: string;
}

/** Paths of app `code`. */
export function appPaths(cfg: AgentConfig, code: string): AppPaths {
  const home = join(cfg.appsDir, code);
  return {
    home,
    code: join(home, 'code'),
    next: join(home, 'code.next'),
    envFile: join(home, 'app.env'),
    portFile: join(home, 'port'),
    program: join(cfg.supervisor.includeDir, `app-${code}.conf`),
    location: join(cfg.nginx.includeDir, `app-${code}.conf`),
    logFile: join(cfg.logDir, `app-${code}.log`),
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
