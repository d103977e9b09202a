// The commands the engine runs on modules, and what each means to it: the engine reads these
// properties and never tests a command's name.

/** How the engine treats a command, whatever module it runs on. */
export interface CommandSpec {
  /** One line of CLI help. */
  help: string;
  /** Ships package files (each module's `sync`) instead of running steps. */
  ships?: boolean;
  /** Every host ends it by recording the module in `.installed_module`. */
  records?: boolean;
  /** On `all`: only hosts whose `.installed_module` lists the module; a failed module does not stop the rest. */
  reportsInstalled?: boolean;
  /** On `all`: modules in reverse dependency order. */
  reverse?: boolean;
  /** A module without its own definition runs these commands instead, in order. */
  fallback?: readonly string[];
  /** A module without its own definition, but with stop and start, restarts one host at a time. */
  rolling?: boolean;
  /** The CLI declares it itself (its own options) instead of as `<command> <module> [project]`. */
  ownCli?: boolean;
}

export const COMMAND_SPECS = {
  sync: {
    help: 'ship each host the program files and binaries its modules need (checksums: unchanged files are not sent)',
    ships: true,
  },
  install: {
    help: 'install a module on its hosts: packages, rendered configs, supervisor programs, consul services',
    records: true,
  },
  render: {
    help: "re-render a module's configuration files from its templates (a restart becomes owed when one changes)",
  },
  start: { help: 'start a module (performs a restart owed by a changed configuration)' },
  stop: { help: 'stop a module (all: in reverse dependency order)', reverse: true },
  restart: { help: 'restart a module', rolling: true },
  status: {
    help: 'show whether a module runs and is healthy, one line per host and program',
    reportsInstalled: true,
  },
  initdata: { help: 'one-time data setup: database grants, schema migrations, admin user, app accounts' },
  upgrade: {
    help: 'ship new program files and configuration, migrate, and restart (paas: one host at a time)',
    fallback: ['sync', 'install', 'restart'],
  },
  uninstall: {
    help: 'stop and remove a module: Consul services, programs, configuration, .installed_module; data kept unless --purge-data',
    reverse: true,
    ownCli: true,
  },
} as const satisfies Record<string, CommandSpec>;

export type Command = keyof typeof COMMAND_SPECS;
export const COMMANDS = Object.keys(COMMAND_SPECS) as Command[];

/** The spec of a command, widened to every property. */
export const specOf = (c: Command): CommandSpec => COMMAND_SPECS[c];
