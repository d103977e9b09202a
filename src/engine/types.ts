// The vocabulary modules use to describe work, and the engine uses to run it.
import type { Transport } from '../transport/transport';

export const COMMANDS = [
  'sync',
  'install',
  'render',
  'start',
  'stop',
  'restart',
  'status',
  'initdata',
  'upgrade',
] as const;
export type Command = (typeof COMMANDS)[number];

/** A file a step writes on its host; rewritten (and reported changed) only when content or mode differ. */
export interface FileSpec {
  path: string;
  content: string | Buffer;
  /** Default 0644. */
  mode?: number;
}

/** One unit of work on one host: files to put, then a bash snippet (run with `set -euo pipefail`). */
export interface Step {
  /** Unique within (module, command); the journal's key together with host. */
  id: string;
  /** One line for humans. */
  title: string;
  files?: FileSpec[];
  /** Bash body. Helpers: bk_changed, bk_warn MSG, bk_status MSG, bk_put PATH MODE (stdin). */
  script?: string;
  /** Anything else the step's outcome depends on (hashed into the journal key). */
  inputs?: unknown;
  /** Run every time, never skipped by the journal (start/status checks). */
  always?: boolean;
  /**
   * Units (a module's program, `paas:esb`, or a whole module, `mysql`) whose restart is owed when this
   * step changes something, until a step consuming them succeeds. The debt lives on the host.
   */
  notify?: string | readonly string[];
  /**
   * This step performs the owed restarts of these units: it sees BK_RESTART_OWED=1 and the owed ones
   * in BK_OWED_UNITS (space-separated), and clears them on success.
   */
  consumes?: string | readonly string[];
  /** The step's effect cannot be known before earlier steps run (shown so by --dry-run). */
  dynamic?: boolean;
  /** Variables exported into the step's shell (they travel inside the script, on stdin). */
  env?: Record<string, string>;
  /** Killed on its host after this long (default 10 minutes). */
  timeoutMs?: number;
}

/** Facts about one host handed to a module's step builder. */
export interface HostContext {
  ip: string;
  /** The variable store for this host (globals, ports, generated names). */
  vars: Readonly<Record<string, string>>;
  /** Projects of the module on this host (install.config qualifier or CLI); undefined = all. */
  projects?: readonly string[];
  /** This host's position among the module's hosts for this command, and all of them. */
  index: number;
  hosts: readonly string[];
  run: RunContext;
}

/** What a whole run shares: control dir, package dir, controller-side state from `prepare`. */
export interface RunContext {
  controlDir: string;
  pkgDir: string;
  dryRun: boolean;
  /** Every host in install.config, in order. */
  allHosts: readonly string[];
  /** The variable store of a host (any host of the inventory). */
  varsOf(ip: string): Readonly<Record<string, string>>;
  /** The transport of a host (opened once per run). Not available in dry runs. */
  transport(ip: string): Promise<Transport>;
  /** Controller-side values computed by `prepare`, by module. */
  state: Map<string, unknown>;
  log(line: string): void;
}

/** A folder (or file) of the package directory a module ships to its hosts at `sync`. */
export interface SyncSpec {
  /** Path under the package directory. */
  local: string;
  /** Absolute path on the host. */
  remote: string;
}

export interface CommandDef {
  /** Controller-side work before host steps (facts, certificates). Skipped by --dry-run. */
  prepare?(ctx: RunContext, hosts: readonly string[]): Promise<void>;
  /** The steps of one host. */
  steps(h: HostContext): Step[] | Promise<Step[]>;
  /** Groups of hosts run one after another (default: all together). */
  waves?(hosts: readonly string[], ctx: RunContext): string[][];
  /** Only the first host of the module runs it (cluster-wide work such as migrations). */
  once?: boolean;
  /** Controller-side check after every host succeeded (health gates). Skipped by --dry-run. */
  verify?(ctx: RunContext, hosts: readonly string[]): Promise<void>;
}

export interface ModuleDef {
  name: string;
  /** Modules that come before this one in `all` and `deploy`. */
  after: readonly string[];
  /** Hosts that run this module, in order. */
  hosts(ctx: { allHosts: readonly string[]; hostsOf(module: string): string[] }): string[];
  /** Commands `deploy` runs for this module, in order (default install, start). */
  deploy?: readonly Command[];
  /** What `sync` ships to each of the module's hosts. */
  sync?(h: HostContext): SyncSpec[];
  commands: Partial<Record<Command, CommandDef>>;
}
