// Shrinking: what the journal says was installed where, against what install.config places now.
// A (host, module) the journal has and the placement no longer has is departed; `deploy` uninstalls
// it after the rest of the platform stopped pointing at it (upstreams, grants, Consul servers).
import type { EngineInventory } from './context';
import type { Journal } from './journal';
import type { ModuleDef } from './types';

export interface Placement {
  host: string;
  module: string;
}

/** Hosts a module runs on by the current install.config (its own rule, else where it is listed). */
const placed = (m: ModuleDef, inv: EngineInventory): string[] =>
  m.hosts?.({ allHosts: inv.hosts, hostsOf: (x) => inv.hostsOf(x) }) ?? inv.hostsOf(m.name);

/** Installed placements of known modules that install.config no longer has, in module order. */
export function departed(journal: Journal, modules: readonly ModuleDef[], inv: EngineInventory): Placement[] {
  const had = journal.installedPlacements();
  return modules.flatMap((m) => {
    const now = placed(m, inv);
    return had.filter((p) => p.module === m.name && !now.includes(p.host)).map((p) => ({ ...p }));
  });
}

/**
 * The inventory a removal runs on: each module on exactly its departed hosts. A host gone from
 * install.config gets the variables of the platform as it is now (with its own LAN_IP), so its steps
 * see the new placement (e.g. the Consul servers that stay).
 */
export function removalInventory(inv: EngineInventory, gone: readonly Placement[]): EngineInventory {
  const base = inv.hosts[0];
  if (!base) throw new Error('expected install.config to keep at least one host, found none');
  const extra = [...new Set(gone.map((g) => g.host))].filter((h) => !inv.hosts.includes(h));
  return {
    controlDir: inv.controlDir,
    hosts: [...inv.hosts, ...extra],
    hostsOf: (m) => gone.filter((g) => g.module === m).map((g) => g.host),
    projectsOf: () => undefined,
    varsOf: (ip) => (inv.hosts.includes(ip) ? inv.varsOf(ip) : { ...inv.varsOf(base), LAN_IP: ip }),
  };
}

/** The modules restricted to their departed hosts (consul's "every host" rule replaced). */
export const removalModules = (modules: readonly ModuleDef[], gone: readonly Placement[]): ModuleDef[] =>
  modules
    .filter((m) => gone.some((g) => g.module === m.name))
    .map((m) => ({ ...m, hosts: (c) => c.hostsOf(m.name) }));
