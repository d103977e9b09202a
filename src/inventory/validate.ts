// Cross-host rules of install.config: counts, placement constraints, what each module needs.
//
// Decisions (reference installer-spec §2.2, open-paas-spec §6):
// - consul is always required, on 1, 3, 5 or 7 hosts (the servers); all other hosts run a client.
// - mysql, redis, nginx, license, appo, appt: at most one host each (templates address them as X_IP0;
//   the nginx vhost points PAAS_AGENT_PROD/TEST at a single agent). paas may be on several hosts.
// - paas needs mysql, redis and nginx somewhere. license is NOT required: the CE web services never
//   call it; it is installed only where listed.
// - An inventory without paas is valid (infrastructure only); appo/appt need paas (appengine drives them).
// - appo and appt must not share a host. Every project of paas must run on some host.
// - 127.x addresses only in a single-host inventory (other hosts would reach themselves).
import type { Issue } from '../config/issues';
import { hostsOf, type Inventory, type Placement } from './inventory';
import { isLoopback } from './ipv4';
import { type ModuleName, PROJECTS } from './modules';

/** A 1-based position in a file. */
export interface Where {
  line: number;
  col: number;
}

const CONSUL_COUNTS = [1, 3, 5, 7];
const SINGLE: ModuleName[] = ['mysql', 'redis', 'nginx', 'license', 'appo', 'appt'];
const NEEDS: Partial<Record<ModuleName, ModuleName[]>> = {
  paas: ['mysql', 'redis', 'nginx'],
  appo: ['paas'],
  appt: ['paas'],
};

/** Checks the cross-host rules; `where` maps `ip` and `ip module` keys to positions for the messages. */
export function validateInventory(inv: Inventory, file: string, where: Map<string, Where>): Issue[] {
  const issues: Issue[] = [];
  const pos = (key: string | undefined): Where => (key && where.get(key)) || { line: 1, col: 1 };
  const at = (w: Where, message: string) => issues.push({ file, line: w.line, col: w.col, message });
  if (inv.hosts.length === 0) {
    at(pos(undefined), 'expected at least one host line (IP module,module), found none');
    return issues;
  }
  const consul = hostsOf(inv, 'consul');
  if (!CONSUL_COUNTS.includes(consul.length)) {
    const w = consul.length ? pos(`${consul.at(-1)} consul`) : pos(inv.hosts[0]!.ip);
    const found = consul.length ? `${consul.length} (${consul.join(', ')})` : 'none';
    at(w, `expected consul on 1, 3, 5 or 7 hosts (its servers), found ${found}`);
  }
  for (const m of SINGLE) {
    const ips = hostsOf(inv, m);
    if (ips.length > 1) at(pos(`${ips[1]} ${m}`), `expected ${m} on one host, found it on ${ips.join(', ')}`);
  }
  for (const [m, needs] of Object.entries(NEEDS) as [ModuleName, ModuleName[]][]) {
    const first = hostsOf(inv, m)[0];
    if (!first) continue;
    for (const need of needs) {
      if (hostsOf(inv, need).length === 0) {
        at(pos(`${first} ${m}`), `expected a host with ${need} (${m} needs it), found none`);
      }
    }
  }
  for (const h of inv.hosts) {
    const names = h.modules.map((p) => p.module);
    if (names.includes('appo') && names.includes('appt')) {
      const later = names.indexOf('appo') > names.indexOf('appt') ? 'appo' : 'appt';
      at(pos(`${h.ip} ${later}`), `expected appo and appt on different hosts, found both on ${h.ip}`);
    }
    if (isLoopback(h.ip) && inv.hosts.length > 1) {
      at(pos(h.ip), `expected ${h.ip} only in a single-host install.config, found ${inv.hosts.length} hosts`);
    }
  }
  checkProjectCoverage(inv, pos, at);
  return issues;
}

/** Every project of a listed module must run somewhere when hosts restrict themselves to some. */
function checkProjectCoverage(
  inv: Inventory,
  pos: (key: string) => Where,
  at: (w: Where, message: string) => void,
): void {
  for (const [m, projects] of Object.entries(PROJECTS) as [ModuleName, readonly string[]][]) {
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
