// The vocabulary modules use to describe work, and the engine uses to run it.
import type { Transport } from '../transport/transport';

export { COMMAND_SPECS, COMMANDS, type Command, type CommandSpec } from './commands';

import type { Command } from './commands';

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

/** What a whole run shares: control dir, package dir, hosts, placement, transports. */
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
  /** Hosts install.config lists `module` on (running `project` of it, if given), in order; ignores --limit. */
  hostsOf(module: string, project?: string): string[];
  /** Projects of `module` that install.config places on `ip` (all when unrestricted, [] when not there). */
  projectsOf(ip: string, module: string): readonly string[];
  log(line: string): void;
}

/** Where install.config places modules and projects: what step code asks for decisions. */
export type Placement = Pick<RunContext, 'allHosts' | 'hostsOf' | 'projectsOf'>;

/** A folder (or file) of the package directory a module ships to its hosts at `sync`. */
export interface SyncSpec {
  /** Path under the package directory. */
  local: string;
  /** Absolute path on the host. */
  remote: string;
}

/**
 * One command of a module. `S` is what `prepare` hands the steps (certificates, tokens, facts read on
 * the controller); steps get `undefined` in dry runs and the preflight, where prepare does not run.
 */
// biome-ignore lint/suspicious/noExplicitAny: a module's table holds commands of different prepared types
export interface CommandDef<S = any> {
  /** Controller-side work before host steps (facts, certificates). Skipped by --dry-run. */
  prepare?(ctx: RunContext, hosts: readonly string[]): Promise<S>;
  /** The steps of one host. */
  steps(h: HostContext, prepared?: S): Step[] | Promise<Step[]>;
  /** Groups of hosts run one after another (default: all together). */
  waves?(hosts: readonly string[], ctx: RunContext, prepared?: S): string[][];
  /** Only the first host of the module runs it (cluster-wide work such as migrations). */
  once?: boolean;
  /** Controller-side check after every host succeeded (health gates). Skipped by --dry-run. */
  verify?(ctx: RunContext, hosts: readonly string[]): Promise<void>;
}

/** A ports.env entry a module listens on: name, default (may reference an earlier name), purpose. */
export interface PortDecl {
  name: string;
  default: string;
  comment: string;
}

/** How install.config may place a module (checked before anything runs). */
export interface PlacementRules {
  /** Allowed numbers of hosts listing it (0 allowed unless missing from the list); default any. */
  counts?: readonly number[];
  /** Why the counts are what they are, shown in the message (e.g. "its servers"). */
  countsWhy?: string;
  /** At most one host. */
  single?: boolean;
  /** Modules some host must list whenever this one is listed. */
  needs?: readonly string[];
  /** Modules that may not share a host with this one. */
  apart?: readonly string[];
}

/**
 * What the rest of bkcec knows of a module without running it: inventory validation, variables,
 * ports.env defaults, help and `init` read these from src/modules/index.ts.
 */
export interface ModuleManifest {
  name: string;
  /** One line for help and the install.config header. */
  summary?: string;
  /** The projects it is made of (install.config `mod(proj-proj)`); none = one unit. */
  projects?: readonly string[];
  /** The ports it listens on, in ports.env order. */
  ports?: readonly PortDecl[];
  placement?: PlacementRules;
  /** Modules that come before this one in `all` and `deploy` (the only place order is written). */
  after: readonly string[];
  /** Commands `deploy` runs for this module, in order (default install, start). */
  deploy?: readonly Command[];
}

/** A manifest with the work: which hosts run it, what it ships, its commands' steps. */
export interface ModuleDef extends ModuleManifest {
  /** Hosts that run this module, in order (default: those install.config lists it on). */
  hosts?(ctx: { allHosts: readonly string[]; hostsOf(module: string): string[] }): string[];
  /** What `sync` ships to each of the module's hosts. */
  sync?(h: HostContext): SyncSpec[];
  commands: Partial<Record<Command, CommandDef>>;
}

/** A command whose steps receive what its `prepare` returned, typed (the table entry is untyped). */
export const command = <S>(def: CommandDef<S>): CommandDef => def;
