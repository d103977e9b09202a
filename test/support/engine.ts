// The engine harness of module tests: a real package directory (scripts/build.mjs), an engine over
// local transports with hand-made host variables, every event collected, and supervisord shut down
// after; `localHost` runs one module's commands on this machine in a temp INSTALL_PATH.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { EngineInventory } from '../../src/engine/context';
import { Engine } from '../../src/engine/engine';
import type { EngineEvent } from '../../src/engine/events';
import type { Command, CommandDef, ModuleDef } from '../../src/engine/types';
import { LocalTransport } from '../../src/transport/local';
import type { Transport } from '../../src/transport/transport';
import { freePort } from './ports';

const run = promisify(execFile);
const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Builds the package directory into `dir` with the real build script. */
export async function buildPackage(dir: string): Promise<void> {
  await run(process.execPath, [join(REPO, 'scripts', 'build.mjs')], {
    env: { ...process.env, BKCEC_PKG: dir },
    cwd: REPO,
  });
}

/**
 * An engine for one host (`vars.LAN_IP`) running `modules` locally; `events` keeps everything
 * emitted. `hosts` is every host of install.config (default: this one).
 */
export function localEngine(o: {
  controlDir: string;
  pkgDir: string;
  modules: readonly ModuleDef[];
  vars: Record<string, string>;
  projects?: string[];
  hosts?: string[];
  events?: EngineEvent[];
  /**
   * Where install.config places modules the engine does not run (default: nowhere); a
   * `module:project` key restricts that module's hosts to the projects listed for them.
   */
  placement?: Record<string, string[]>;
}) {
  const ip = o.vars.LAN_IP!;
  const events: EngineEvent[] = o.events ?? [];
  const inventory: EngineInventory = {
    controlDir: o.controlDir,
    hosts: o.hosts ?? [ip],
    hostsOf: (m) => o.placement?.[m] ?? (o.modules.some((d) => d.name === m) ? [ip] : []),
    projectsOf: (host, m) => {
      const keys = Object.keys(o.placement ?? {}).filter((k) => k.startsWith(`${m}:`));
      if (keys.length === 0) return undefined;
      return keys.filter((k) => o.placement![k]!.includes(host)).map((k) => k.slice(m.length + 1));
    },
    varsOf: () => o.vars,
  };
  let transport: Transport | undefined;
  const engine = new Engine({
    inventory,
    modules: o.modules,
    pkgDir: o.pkgDir,
    openTransport: async () => {
      transport ??= new LocalTransport(ip);
      return transport;
    },
    projects: o.projects,
    emit: (e) => events.push(e),
  });
  return { engine, events };
}

/** Step events of one (module, command) as `step:outcome` strings. */
export function outcomes(events: readonly EngineEvent[], module: string, command: string): string[] {
  return events.flatMap((e) =>
    e.type === 'step' && e.module === module && e.command === command ? [`${e.step}:${e.outcome}`] : [],
  );
}

/** Status lines emitted by status steps. */
export const statusLines = (events: readonly EngineEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'status' ? [e.text] : []));

/** Stops the supervisord of `installPath` (and its programs), then removes the folder. */
export async function cleanupInstall(installPath: string): Promise<void> {
  await run('supervisorctl', ['-c', join(installPath, 'etc', 'supervisord.conf'), 'shutdown']).catch(
    () => {},
  );
  for (let i = 0; i < 50; i++) {
    const alive = await run('pgrep', ['-f', `${installPath}/etc/supervisord.conf`]).then(
      () => true,
      () => false,
    );
    if (!alive) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await rm(installPath, { recursive: true, force: true });
}

/** Host variables of a one-host paas on 127.0.0.1 against test MariaDB/Redis, every port free. */
export async function paasVars(
  installPath: string,
  db: { host: string; port: number; rootUser: string; rootPassword: string },
  redis: { host: string; port: number; password: string },
  adminPass: string,
): Promise<Record<string, string>> {
  const ip = '127.0.0.1';
  const vars: Record<string, string> = {
    INSTALL_PATH: installPath,
    LAN_IP: ip,
    HAS_DNS_SERVER: '1',
    PAAS_FQDN: 'paas.bking.com',
    MYSQL_HOST: db.host,
    MYSQL_PORT: String(db.port),
    MYSQL_USER: db.rootUser,
    MYSQL_PASS: db.rootPassword,
    REDIS_HOST: redis.host,
    REDIS_PORT: String(redis.port),
    REDIS_PASS: redis.password,
    PAAS_DOMAIN: 'paas.bking.com',
    PAAS_INNER_DOMAIN: 'paas.service.consul:80',
    BK_COOKIE_DOMAIN: '.bking.com',
    HTTP_SCHEMA: 'http',
    ESB_SECRET_KEY: randomBytes(30).toString('base64url'),
    ESB_TOKEN: randomBytes(20).toString('hex'),
    PAAS_ADMIN_USER: 'admin',
    PAAS_ADMIN_PASS: adminPass,
    CONSUL_HTTP_PORT: String(await freePort()),
    PAAS_IP: ip,
  };
  for (const p of ['APPENGINE', 'PAAS', 'ESB', 'LOGIN']) {
    vars[`${p}_PORT`] = String(await freePort());
    vars[`PAAS_${p}_IP`] = ip;
    vars[`PAAS_${p}_IP0`] = ip;
  }
  return vars;
}

// A module's real steps on this machine (127.0.0.1) with an INSTALL_PATH in a temp dir, leaving out
// the steps that would change the machine itself (/etc, sysctl, apt).

/** Step ids that touch machine-wide state; the testbed tests cover them. */
export const MACHINE_STEPS = new Set([
  'packages',
  'distro-service-off',
  'etc-link',
  'sysctl',
  'etc-hosts',
  'etc-hosts-status',
]);

export interface LocalHost {
  root: string;
  installPath: string;
  vars: Record<string, string>;
  events: EngineEvent[];
  /** Runs `command` of the module; `inventory` is every host of install.config (default 127.0.0.1). */
  run(
    command: Command,
    inventory?: string[],
  ): Promise<{ ok: boolean; changed: string[]; events: EngineEvent[] }>;
  /** Stops this host's supervisord (and so every program) and deletes the temp dir. */
  cleanup(): void;
}

function withoutMachineSteps(m: ModuleDef, ip: string): ModuleDef {
  const commands: Partial<Record<Command, CommandDef>> = {};
  for (const [name, def] of Object.entries(m.commands) as [Command, CommandDef][]) {
    commands[name] = {
      ...def,
      steps: async (h, prepared) => (await def.steps(h, prepared)).filter((s) => !MACHINE_STEPS.has(s.id)),
    };
  }
  return { ...m, hosts: () => [ip], commands };
}

/**
 * A local host for `module` with `vars` (INSTALL_PATH and LAN_IP are filled in); `placement` says
 * where install.config puts other modules (as localEngine's).
 */
export function localHost(
  module: ModuleDef,
  vars: Record<string, string>,
  placement?: Record<string, string[]>,
): LocalHost {
  const root = mkdtempSync(join(tmpdir(), `bkcec-${module.name}-`));
  chmodSync(root, 0o755); // daemons drop to their own users and must reach their files
  const installPath = join(root, 'bkce');
  const ip = '127.0.0.1';
  const all: Record<string, string> = {
    INSTALL_PATH: installPath,
    LAN_IP: ip,
    CONSUL_HTTP_PORT: '1',
    ...vars,
  };
  const events: EngineEvent[] = [];
  const mod = withoutMachineSteps(module, ip);
  const host: LocalHost = {
    root,
    installPath,
    vars: all,
    events,
    async run(command, inventory = [ip]) {
      const mine: EngineEvent[] = [];
      const { engine } = localEngine({
        controlDir: join(root, 'ctrl'),
        pkgDir: join(root, 'pkg'),
        modules: [mod],
        vars: { ...all, ALL_IP: inventory.join(' ') },
        hosts: inventory,
        events: mine,
        placement,
      });
      const r = await engine.run(command, module.name).finally(() => events.push(...mine));
      const changed = mine.flatMap((e) =>
        e.type === 'step' && e.outcome === 'changed' ? [`${e.command}:${e.step}`] : [],
      );
      return { ok: r.ok, changed, events: mine };
    },
    cleanup() {
      const conf = join(installPath, 'etc', 'supervisord.conf');
      const pidFile = join(installPath, 'run', 'supervisord.pid');
      // supervisord and its children by pid; shutdown politely, then SIGKILL whatever is left after 30 s.
      execFileSync('bash', [
        '-c',
        `[ -s ${pidFile} ] || exit 0
sv=$(cat ${pidFile}); pids="$sv $(pgrep -P "$sv" | tr '\\n' ' ')"
supervisorctl -c ${conf} shutdown >/dev/null 2>&1 || true
for i in $(seq 300); do alive=""; for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done; [ -z "$alive" ] && exit 0; sleep 0.1; done
kill -9 $pids 2>/dev/null || true`,
      ]);
      rmSync(root, { recursive: true, force: true });
    },
  };
  return host;
}
