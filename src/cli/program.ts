// The bkcec command line: argument parsing and wiring only; the work happens in the engine.
import { Command as Cmd, InvalidArgumentError } from 'commander';
import { specOf } from '../engine/commands';
import { DEFAULT_DEPLOY, dependencyOrder } from '../engine/order';
import { COMMAND_SPECS, COMMANDS } from '../engine/types';
import { moduleDefs } from '../modules';
import { runBackupCommand, runRestoreCommand } from './commands/backup';
import { runCheckCommand } from './commands/check';
import { runDeploy, runEngineCommand } from './commands/engine';
import { runInit } from './commands/init';
import { runLicenseShow } from './commands/license';
import { runRotate } from './commands/rotate';
import { runUninstall } from './commands/uninstall';
import { defaultPkgDir, type GlobalOptions } from './options';
import type { Deps } from './session';

const int = (min: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new InvalidArgumentError(`expected a whole number ≥ ${min}, found ${JSON.stringify(v)}`);
  return n;
};
const list = (v: string, prev: string[] = []) => [...prev, ...v.split(',').filter(Boolean)];

/** `deploy`'s help: the chain as the manifests define it. */
const deployHelp = (): string =>
  `the whole chain: sync, ${dependencyOrder(moduleDefs)
    .map((m) => {
      const extra = (m.deploy ?? DEFAULT_DEPLOY).filter((c) => !DEFAULT_DEPLOY.includes(c));
      return extra.length ? `${m.name} (+${extra.join(', +')})` : m.name;
    })
    .join(', ')}`;

/** Builds the commander program; `done` receives each action's exit code. */
export function buildProgram(deps: Deps, done: (code: number) => void): Cmd {
  const program = new Cmd('bkcec')
    .description(
      'Install and run the BlueKing Community Edition platform across the hosts in install.config.',
    )
    .option(
      '-C, --control-dir <dir>',
      'control directory holding install.config, globals.env, ports.env and state',
      '.',
    )
    .option(
      '--pkg <dir>',
      'package directory that sync ships from (BKCEC_PKG sets the default)',
      defaultPkgDir(),
    )
    .option('--parallel <n>', 'hosts worked on at the same time', int(1), 16)
    .option('--limit <ip>', 'only act on these hosts (repeat or comma-separate)', list)
    .option('--dry-run', 'print the plan per host and step; change nothing', false)
    .option(
      '--from-scratch',
      'ignore the journal: run every step again (idempotent steps report no change)',
      false,
    )
    .option('--json', 'print one JSON event per line instead of text', false)
    .option(
      '--accept-new-host-keys',
      'record the SSH key of a host seen for the first time (a changed key is always refused)',
      false,
    )
    .exitOverride()
    .showHelpAfterError()
    .addHelpText(
      'after',
      '\nExit codes: 0 done, 1 a step failed (re-run to resume), 2 bad input (nothing was touched).',
    );

  const globals = (cmd: Cmd): GlobalOptions => {
    const o = cmd.optsWithGlobals();
    return { ...o, limit: o.limit } as GlobalOptions;
  };

  program
    .command('init')
    .description(
      'write a ready control directory: install.config (this machine alone, or --layout), globals.env with fresh secrets, ports.env',
    )
    .option('--layout <layout>', 'hosts and modules, e.g. "10.0.0.1=nginx,consul 10.0.0.2=mysql,consul"')
    .option(
      '--force',
      'overwrite an existing control directory, keeping the secrets globals.env holds',
      false,
    )
    .option(
      '--regenerate-secrets',
      'with --force: new values for every secret, even of a deployed platform (its hosts keep the old ones)',
      false,
    )
    .action(async (opts, cmd: Cmd) => done(await runInit(globals(cmd), opts, deps)));

  program
    .command('deploy')
    .description(deployHelp())
    .action(async (_o, cmd: Cmd) => done(await runDeploy(globals(cmd), deps)));

  program
    .command('check')
    .description(
      'precheck every host: root, SSH, clock skew, ports free, ulimit -n, resolv.conf, disk space (exit 1 on a failure)',
    )
    .action(async (_o, cmd: Cmd) => done(await runCheckCommand(globals(cmd), deps)));

  program
    .command('license')
    .description('license certificates')
    .command('show')
    .description(
      "the platform certificate: issuer, validity, bound MACs, and whether each license host's MAC is covered",
    )
    .action(async (_o, cmd: Cmd) => done(await runLicenseShow(globals(cmd), deps)));

  program
    .command('backup')
    .description(
      "one root-only archive: a consistent dump of open_paas and every bkapp_* database, the control directory's secrets and certificates, a manifest with checksums",
    )
    .argument('[file]', 'where to write it (default: CONTROL_DIR/backups/bkcec-<time>.tar.gz)')
    .action(async (file: string | undefined, _o, cmd: Cmd) =>
      done(await runBackupCommand(globals(cmd), file, deps)),
    );

  program
    .command('restore')
    .description(
      'onto a deployed platform: check the archive whole, load its databases, take back its app tokens and admin password, restart paas',
    )
    .argument('<archive>', 'a file written by bkcec backup')
    .option('--verify-only', 'only check the archive against its manifest', false)
    .action(async (archive: string, opts: { verifyOnly: boolean }, cmd: Cmd) =>
      done(await runRestoreCommand(globals(cmd), archive, opts, deps)),
    );

  program
    .command('rotate')
    .description(
      'a new value for one secret, taken by every host and program in a serving-safe order (--dry-run prints the order)',
    )
    .argument(
      '<secret>',
      'MYSQL_PASS, REDIS_PASS, PAAS_ADMIN_PASS, ESB_TOKEN, ESB_SECRET_KEY or CONSUL_ENCRYPT',
    )
    .action(async (secret: string, _o, cmd: Cmd) => done(await runRotate(globals(cmd), secret, deps)));

  program
    .command('uninstall')
    .description(COMMAND_SPECS.uninstall.help)
    .argument('<module>', `${moduleDefs.map((m) => m.name).join(', ')}, or all`)
    .option(
      '--purge-data',
      'also delete its data folders (databases, app files, logs); asks to confirm',
      false,
    )
    .option('--yes', 'confirm --purge-data without asking', false)
    .action(async (module: string, opts: { purgeData: boolean; yes: boolean }, cmd: Cmd) =>
      done(await runUninstall(globals(cmd), module, opts, deps)),
    );

  for (const name of COMMANDS.filter((c) => !specOf(c).ownCli)) {
    program
      .command(name)
      .description(COMMAND_SPECS[name].help)
      .argument('<module>', `${moduleDefs.map((m) => m.name).join(', ')}, or all`)
      .argument('[project]', 'one project of the module, e.g. esb for paas')
      .action(async (module: string, project: string | undefined, _o, cmd: Cmd) =>
        done(await runEngineCommand(globals(cmd), name, module, project, deps)),
      );
  }

  return program;
}
