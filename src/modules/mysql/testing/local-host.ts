// Runs a module's real steps through the real Engine on this machine (127.0.0.1) with an INSTALL_PATH
// in a temp dir, leaving out the steps that would change the machine itself (/etc, sysctl, apt).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../../engine/engine';
import type { EngineEvent } from '../../../engine/events';
import type { Command, CommandDef, ModuleDef } from '../../../engine/types';
import { LocalTransport } from '../../../transport/local';

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
      steps: async (h) => (await def.steps(h)).filter((s) => !MACHINE_STEPS.has(s.id)),
    };
  }
  return { ...m, hosts: () => [ip], commands };
}

/** A local host for `module` with `vars` (INSTALL_PATH and LAN_IP are filled in). */
export function localHost(module: ModuleDef, vars: Record<string, string>): LocalHost {
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
  const transport = new LocalTransport(ip);
  const mod = withoutMachineSteps(module, ip);
  const host: LocalHost = {
    root,
    installPath,
    vars: all,
    events,
    async run(command, inventory = [ip]) {
      const mine: EngineEvent[] = [];
      const engine = new Engine({
        inventory: {
          controlDir: join(root, 'ctrl'),
          hosts: inventory,
          hostsOf: (name) => (name === module.name ? [ip] : []),
          projectsOf: () => undefined,
          varsOf: () => ({ ...all, ALL_IP: inventory.join(' ') }),
        },
        modules: [mod],
        pkgDir: join(root, 'pkg'),
        openTransport: async () => transport,
        emit: (e) => {
          mine.push(e);
          events.push(e);
        },
      });
      const r = await engine.run(command, module.name);
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

/** Failure lines of a run, for assertion messages. */
export const failures = (events: EngineEvent[]): string =>
  events
    .filter((e) => e.type === 'failure')
    .map((e) => JSON.stringify(e))
    .join('\n');
