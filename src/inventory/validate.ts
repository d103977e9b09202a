// Cross-host rules of install.config: counts, placement constraints, what each module needs.
//
// Each module's own rules (how many hosts, what it needs, what it may not share a host with) are in
// its manifest (src/modules/<m>/manifest.ts); the rules here hold for every inventory:
// - every project of a listed module must run on some host;
// - 127.x addresses only in a single-host inventory (other hosts would reach themselves).
import type { Issue } from '../config/issues';
import type { ModuleManifest } from '../engine/types';
import { manifests } from '../modules';
import { hostsOf, type Inventory, type Placement } from './inventory';
import { isLoopback } from './ipv4';

/** A 1-based position in a file. */
export interface Where {
  line: number;
  col: number;
}

/** Checks the cross-host rules; `where` maps `ip` and `ip module` keys to positions for the messages. */
export function validateInventory(
  inv: Inventory,
  file: string,
  where: Map<string, Where>,
  mods: readonly ModuleManifest[] = manifests,
): Issue[] {
  const issues: Issue[] = [];
  const pos = (key: string | undefined): Where => (key && where.get(key)) || { line: 1, col: 1 };
  const at = (w: Where, message: string) => issues.push({ file, line: w.line, col: w.col, message });
  if (inv.hosts.length === 0) {
    at(pos(undefined), 'expected at least one host line (IP module,module), found none');
    return issues;
  }
  for (const m of mods) checkCounts(inv, m, pos, at);
  for (const m of mods) {
    const first = hostsOf(inv, m.name)[0];
    if (!first) continue;
    for (const need of m.placement?.needs ?? []) {
      if (hostsOf(inv, need).length === 0) {
        at(pos(`${first} ${m.name}`), `expected a host with ${need} (${m.name} needs it), found none`);
      }
    }
  }
  for (const h of inv.hosts) {
    const names = h.modules.map((p) => p.module);
    for (const m of mods) {
      for (const other of m.placement?.apart ?? []) {
        if (!names.includes(m.name) || !names.includes(other)) continue;
        const later = names.indexOf(m.name) > names.indexOf(other) ? m.name : other;
        at(
          pos(`${h.ip} ${later}`),
          `expected ${m.name} and ${other} on different hosts, found both on ${h.ip}`,
        );
      }
    }
    if (isLoopback(h.ip) && inv.hosts.length > 1) {
      at(pos(h.ip), `expected ${h.ip} only in a single-host install.config, found ${inv.hosts.length} hosts`);
    }
  }
  checkProjectCoverage(inv, mods, pos, at);
  return issues;
}

/** How many hosts list the module: one at most, or one of its allowed counts. */
function checkCounts(
  inv: Inventory,
  m: ModuleManifest,
  pos: (key: string) => Where,
  at: (w: Where, message: string) => void,
): void {
  const ips = hostsOf(inv, m.name);
  const { counts, countsWhy, single } = m.placement ?? {};
  if (single && ips.length > 1)
    at(pos(`${ips[1]} ${m.name}`), `expected ${m.name} on one host, found it on ${ips.join(', ')}`);
  if (counts && !counts.includes(ips.length)) {
    const w = ips.length ? pos(`${ips.at(-1)} ${m.name}`) : pos(inv.hosts[0]!.ip);
    const found = ips.length ? `${ips.length} (${ips.join(', ')})` : 'none';
    const allowed = `${counts.slice(0, -1).join(', ')} or ${counts.at(-1)}`;
    at(w, `expected ${m.name} on ${allowed} hosts${countsWhy ? ` (${countsWhy})` : ''}, found ${found}`);
  }
}

/** Every project of a listed module must run somewhere when hosts restrict themselves to some. */
function checkProjectCoverage(
  inv: Inventory,
  mods: readonly ModuleManifest[],
  pos: (key: string) => Where,
  at: (w: Where, message: string) => void,
): void {
  for (const { name: m, projects } of mods) {
    if (!projects?.length) continue;
    const placements: [string, Placement][] = inv.hosts.flatMap((h) =>
      h.modules.filter((p) => p.module === m).map((p): [string, Placement] => [h.ip, p]),
    );
    if (placements.length === 0) continue;
    const missing = projects.filter(
      (proj) => !placements.some(([, p]) => !p.projects || p.projects.includes(proj)),
    );
    if (missing.length) {
      at(
        pos(`${placements[0]![0]} ${m}`),
        `expected every project of ${m} on some host, found none running ${missing.join(', ')}`,
      );
    }
  }
}
