// `uninstall` as a command of every module: the module's stop steps inside the removal steps, and for
// consul the removed agents pruned from the member list by a server that stays.
import { shQuote } from '../../engine/script';
import type { CommandDef, ModuleDef, RunContext } from '../../engine/types';
import { aclPaths } from '../consul/acl/files';
import { nodeName } from '../consul/config';
import { consulBin } from '../consul/service';
import { footprint } from './paths';
import { uninstallSteps } from './steps';

/** After consul left `hosts`: a server that stays forgets them (`force-leave -prune`: not even "left"). */
async function pruneMembers(ctx: RunContext, hosts: readonly string[]): Promise<void> {
  if (hosts.length === 0) return;
  // A removal's run context places each module on its departed hosts only: the servers that stay
  // are those of the platform as it is now, in its variables (removalInventory gives them).
  const servers = (ctx.varsOf(hosts[0]!).CONSUL_IP ?? '').split(/\s+/).filter(Boolean);
  const survivor = servers.find((s) => !hosts.includes(s));
  if (!survivor) return;
  const v = ctx.varsOf(survivor);
  const names = hosts.map((h) => shQuote(nodeName(h))).join(' ');
  const r = await (await ctx.transport(survivor)).run(
    `set -euo pipefail
export CONSUL_HTTP_ADDR=127.0.0.1:${v.CONSUL_HTTP_PORT || '8500'}
if [ -f ${shQuote(aclPaths(v).cliToken)} ]; then export CONSUL_HTTP_TOKEN_FILE=${shQuote(aclPaths(v).cliToken)}; fi
c=${shQuote(consulBin(v))}
members=$("$c" members | awk '{print $1}')
for n in ${names}; do
  if grep -qxF "$n" <<< "$members"; then "$c" force-leave -prune "$n"; fi
done`,
    { timeoutMs: 60_000 },
  );
  if (r.code !== 0)
    throw new Error(
      `expected consul server ${survivor} to prune ${hosts.join(', ')} from the members, found exit ${r.code}: ${r.stderr.trim()}`,
    );
  ctx.log(`consul: ${hosts.join(', ')} pruned from the member list (by ${survivor})`);
}

/** The uninstall command of a module (purge: its data folders go too). */
export function uninstallCommand(m: ModuleDef, purge: boolean): CommandDef {
  const stop = m.commands.stop;
  return {
    steps: async (h) => uninstallSteps(m.name, h.vars, stop ? await stop.steps(h) : [], purge),
    ...(m.name === 'consul' ? { verify: pruneMembers } : {}),
  };
}

/** The modules with `uninstall` added to every one whose footprint is known. */
export const withUninstall = (modules: readonly ModuleDef[], purge: boolean): ModuleDef[] =>
  modules.map((m) =>
    footprint(m.name, { INSTALL_PATH: '/x' })
      ? { ...m, commands: { ...m.commands, uninstall: uninstallCommand(m, purge) } }
      : m,
  );
