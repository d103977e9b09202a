// The parsed install.config: which host runs which modules (and which projects of them), in file order.
import type { ModuleName } from './modules';

/** A module placed on a host; `projects` absent means every project of the module. */
export interface Placement {
  module: ModuleName;
  projects?: string[];
}

/** One host of install.config with its modules in order of first appearance. */
export interface HostEntry {
  ip: string;
  modules: Placement[];
}

/** The whole inventory; `group` is the `[name]` header when the file has one. */
export interface Inventory {
  group?: string;
  hosts: HostEntry[];
}

/** True when a placement runs `project` (a placement without a project list runs them all). */
export function runsProject(p: Placement, project: string): boolean {
  return p.projects === undefined || p.projects.includes(project);
}

/** IPs of the hosts running `module` (optionally only those running `project` of it), in file order. */
export function hostsOf(inv: Inventory, module: ModuleName, project?: string): string[] {
  return inv.hosts
    .filter((h) =>
      h.modules.some((p) => p.module === module && (project === undefined || runsProject(p, project))),
    )
    .map((h) => h.ip);
}

/** The modules listed for `ip`, in file order; empty when the IP is not in the inventory. */
export function modulesOf(inv: Inventory, ip: string): ModuleName[] {
  return inv.hosts.find((h) => h.ip === ip)?.modules.map((p) => p.module) ?? [];
}

/** The placement of `module` on `ip`, if any. */
export function placementOf(inv: Inventory, ip: string, module: ModuleName): Placement | undefined {
  return inv.hosts.find((h) => h.ip === ip)?.modules.find((p) => p.module === module);
}

/** Every host IP, in file order. */
export function allIps(inv: Inventory): string[] {
  return inv.hosts.map((h) => h.ip);
}

/** Hosts that run a Consul server (those listing `consul`); every other host runs a client. */
export function consulServers(inv: Inventory): string[] {
  return hostsOf(inv, 'consul');
}
