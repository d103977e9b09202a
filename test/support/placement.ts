// A typed placement built by hand for step-code tests: which hosts list each module (and project).
import type { Placement } from '../../src/engine/types';

/**
 * `hosts` maps a module (or `module:project`) to its hosts; a module without projects listed runs all
 * of them. `allHosts` defaults to every host named, in order of appearance.
 */
export function placementOf(
  hosts: Record<string, readonly string[]>,
  allHosts?: readonly string[],
): Placement {
  const all = allHosts ?? [...new Set(Object.values(hosts).flat())];
  const of = (module: string, project?: string): string[] => [
    ...(hosts[project ? `${module}:${project}` : module] ?? (project ? hosts[module] : undefined) ?? []),
  ];
  return {
    allHosts: all,
    hostsOf: of,
    projectsOf: (ip, module) =>
      of(module).includes(ip)
        ? Object.keys(hosts)
            .filter((k) => k.startsWith(`${module}:`) && hosts[k]!.includes(ip))
            .map((k) => k.slice(module.length + 1))
        : [],
  };
}
