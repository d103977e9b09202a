// Checks what a command line narrows a run to (--limit hosts, a project) against install.config:
// a host or project that is not there is bad input (exit 2), not a run that quietly does nothing.
import type { Issue } from '../config/issues';
import { allIps, hostsOf, type Inventory } from './inventory';
import { isModuleName, PROJECTS } from './modules';

export interface Scope {
  /** `--limit` hosts. */
  limit?: readonly string[];
  /** A module name or `all` (undefined: deploy, every module). */
  module?: string;
  project?: string;
}

/** Every problem of `s` against `inv`; issues point at the command-line option or argument. */
export function scopeIssues(inv: Inventory, s: Scope): Issue[] {
  const issues: Issue[] = [];
  const at = (file: string, message: string) => issues.push({ file, line: 1, col: 1, message });
  const known = allIps(inv);
  const listed = (ips: readonly string[]) => ips.join(', ') || 'none';
  const unknown = (s.limit ?? []).filter((ip) => !known.includes(ip));
  for (const ip of unknown)
    at('--limit', `expected a host of install.config (${listed(known)}), found '${ip}'`);
  const m = s.module && isModuleName(s.module) ? s.module : undefined;
  if (m && s.limit?.length && unknown.length === 0) {
    // Every host runs a consul agent (a client where install.config does not list consul).
    const runs = m === 'consul' ? known : hostsOf(inv, m);
    if (!s.limit.some((ip) => runs.includes(ip)))
      at('--limit', `expected a host that runs ${m} (${listed(runs)}), found ${s.limit.join(', ')}`);
  }
  if (s.project !== undefined) {
    const projects = m ? PROJECTS[m] : undefined;
    if (!m) at('<project>', `expected no project with '${s.module}', found '${s.project}'`);
    else if (!projects) at('<project>', `expected no project for ${m} (it has none), found '${s.project}'`);
    else if (!projects.includes(s.project))
      at('<project>', `expected a project of ${m} (${projects.join(', ')}), found '${s.project}'`);
    else if (hostsOf(inv, m, s.project).length === 0)
      at('<project>', `expected a host of install.config running ${m}(${s.project}), found none`);
  }
  return issues;
}
