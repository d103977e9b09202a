// start / stop / restart / status of the paas programs, per project (`bkcec restart paas esb`).
import { shQuote } from '../../engine/script';
import type { HostContext, Step } from '../../engine/types';
import { restartUnits, startStep, statusStep, stopStep, supervisordSteps } from '../common/supervisor';
import { localHealthStep } from './health';
import { projectsFor, projectsHere } from './paths';

type Vars = Readonly<Record<string, string>>;

const supervisord = (v: Vars): Step[] => supervisordSteps(v).map((s) => ({ ...s, always: true }));

/** Projects of this command on this host, or an error naming what was asked and what runs here. */
function scope(h: HostContext): string[] {
  const projects = projectsFor(h, h.projects);
  if (projects.length === 0)
    throw new Error(`${h.ip}: none of the paas projects ${h.projects?.join(', ')} is placed on this host`);
  return projects;
}

/** `start paas`: the group started (restarted when owed), then each program healthy. */
export function startSteps(h: HostContext): Step[] {
  const projects = scope(h);
  return [...supervisord(h.vars), startStep(h.vars, 'paas', projects), localHealthStep(h.vars, projects)];
}

/** `stop paas [project]`. */
export const stopSteps = (h: HostContext): Step[] => [stopStep(h.vars, 'paas', scope(h))];

/** A restart of the programs in scope (config re-read first), paying their owed restarts only. */
function restartStep(h: HostContext, projects: readonly string[]): Step {
  const v = h.vars;
  const targets = projects.map((p) => `paas:paas-${p}`).join(' ');
  return {
    id: 'restart',
    title: `restart paas (${projects.join(', ')})`,
    always: true,
    // Every program here restarted pays the module's own debt too (bundles, program files).
    consumes: [
      ...(projects.length === projectsHere(h).length ? ['paas'] : []),
      ...restartUnits('paas', projects),
    ],
    script: `c=${shQuote(`${v.INSTALL_PATH}/etc/supervisord.conf`)}
supervisorctl -c "$c" update paas >/dev/null
if ! out=$(supervisorctl -c "$c" restart ${targets} 2>&1); then echo "$out" >&2; exit 1; fi
bk_changed`,
  };
}

/** `restart paas [project]` on one host (hosts go one at a time: see the module's waves). */
export function restartSteps(h: HostContext): Step[] {
  const projects = scope(h);
  return [...supervisord(h.vars), restartStep(h, projects), localHealthStep(h.vars, projects)];
}

/** `status paas [project]`: one line per program. */
export const statusSteps = (h: HostContext): Step[] => [statusStep(h.vars, 'paas', scope(h))];
