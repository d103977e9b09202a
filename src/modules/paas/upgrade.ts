// `upgrade paas`: new bundles and runtime, config, migrations, then a rolling restart: one host at a
// time, each healthy before the next, so the front door keeps answering.
import { join } from 'node:path';
import type { CommandDef, HostContext, RunContext, Step, SyncSpec } from '../../engine/types';
import { syncTree } from '../../transport/sync';
import { verifyFrontDoor } from './health';
import { initdataSteps } from './initdata';
import { installSteps } from './install';
import { paasPaths } from './paths';
import { restartSteps } from './run';
import { nodeSync } from './runtime';

type Vars = Readonly<Record<string, string>>;

/** What `sync` ships to a paas host: the runtime and every program bundle (with manage.mjs). */
export const paasSync = (v: Vars): SyncSpec[] => [
  nodeSync(v),
  { local: 'open_paas', remote: paasPaths(v).home },
];

/** Controller side: ship the new package to every paas host before any host restarts. */
async function shipPackage(ctx: RunContext, hosts: readonly string[]): Promise<void> {
  for (const ip of hosts) {
    const t = await ctx.transport(ip);
    for (const spec of paasSync(ctx.varsOf(ip))) {
      const r = await syncTree(t, join(ctx.pkgDir, spec.local), spec.remote, { delete: true });
      ctx.log(`${ip}: upgrade paas: ${spec.remote}: ${r.sent.length} sent, ${r.deleted.length} deleted`);
    }
  }
}

/** One host's upgrade: install, schema and ESB catalog on the first host only, restart, health. */
async function upgradeSteps(h: HostContext): Promise<Step[]> {
  const data =
    h.index === 0 ? (await initdataSteps(h)).filter((s) => s.id === 'migrate' || s.id === 'esb-sync') : [];
  const prefix = (s: Step, part: string): Step => ({ ...s, id: `${part}-${s.id}` });
  return [
    ...(await installSteps(h)).map((s) => prefix(s, 'install')),
    ...data.map((s) => ({ ...prefix(s, 'data'), always: true })),
    ...restartSteps(h).map((s) => prefix(s, 'restart')),
  ];
}

/** The `upgrade` command of the paas module. */
export const upgradeCommand: CommandDef = {
  prepare: shipPackage,
  steps: upgradeSteps,
  waves: (hosts) => hosts.map((h) => [h]),
  verify: verifyFrontDoor,
};
