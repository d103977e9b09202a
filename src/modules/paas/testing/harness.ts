// Test harness for module tests: a real package directory (scripts/build.mjs), an engine over local
// transports with hand-made host variables, every event collected, and supervisord shut down after.
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { EngineInventory } from '../../../engine/context';
import { Engine } from '../../../engine/engine';
import type { EngineEvent } from '../../../engine/events';
import type { ModuleDef } from '../../../engine/types';
import { LocalTransport } from '../../../transport/local';
import type { Transport } from '../../../transport/transport';

const run = promisify(execFile);
const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** Builds the package directory into `dir` with the real build script. */
export async function buildPackage(dir: string): Promise<void> {
  await run(process.execPath, [join(REPO, 'scripts', 'build.mjs')], {
    env: { ...process.env, BKCEC_PKG: dir },
    cwd: REPO,
  });
}

/** An engine for one host (`vars.LAN_IP`) running `modules` locally; `events` keeps everything emitted. */
export function localEngine(o: {
  controlDir: string;
  pkgDir: string;
  modules: readonly ModuleDef[];
  vars: Record<string, string>;
  projects?: string[];
}) {
  const ip = o.vars.LAN_IP!;
  const events: EngineEvent[] = [];
  const inventory: EngineInventory = {
    controlDir: o.controlDir,
    hosts: [ip],
    hostsOf: (m) => (o.modules.some((d) => d.name === m) ? [ip] : []),
    projectsOf: () => undefined,
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

/** Failure messages, for assertion messages. */
export const failures = (events: readonly EngineEvent[]): string =>
  events
    .flatMap((e) =>
      e.type === 'failure' ? [`${e.host} ${e.module} ${e.step}: ${e.stderrTail.join(' | ')}`] : [],
    )
    .join('\n');

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
