// A service run by the host's supervisord from Debian packages (mysql, redis, nginx): the builder
// of the steps such modules share. install: packages → the distro's own unit off → the module's
// setup (config, data dirs, links) → supervisord → the program group → its Consul service.
// start: checks → supervisord → programs RUNNING → the module's readiness wait; status: supervisor's
// view, then the module's own check. The module
// supplies only what differs; the steps and their ids are those of the common helpers.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { HostContext, Placement, Step, SyncSpec } from '../../engine/types';
import { distroServiceOffStep, packagesStep } from './packages';
import { type Program, programsStep, startStep, statusStep, stopStep, supervisordSteps } from './supervisor';

type Vars = Readonly<Record<string, string>>;
type Steps = Step[] | Promise<Step[]>;

export interface ServiceSpec {
  /** Module name: the supervisor group, restart unit and debs folder (`debs/<module>` in the package). */
  module: string;
  /** Debian packages besides supervisor. */
  packages: readonly string[];
  /** The distro units that would run a second copy (stopped and disabled). */
  distroServices: readonly string[];
  /** The module's own install steps between the packages and supervisord. */
  setup: (v: Vars, p: Placement) => Steps;
  programs: (v: Vars) => Program[];
  /** The step registering the service in the host's Consul agent. */
  consul: (v: Vars) => Step;
  /** Checks before anything starts (e.g. `nginx -t`). */
  preStart?: (v: Vars) => Step[];
  /** Waits until the service works (after start: supervisor's RUNNING only means "up for startsecs"). */
  ready: (v: Vars) => Step;
  /** The module's own check of a working service, reported by status. */
  check: (v: Vars) => Step;
}

/** Where a module's offline .deb files go on its hosts. */
export const debDirOf = (v: Vars, module: string): string => `${v.INSTALL_PATH}/src/debs/${module}`;

/** The shared commands of a supervised service, as step lists per host. */
export function supervisedService(s: ServiceSpec) {
  const debDir = (v: Vars) => debDirOf(v, s.module);
  return {
    debDir,
    /** The package's offline .deb files for the module, when it carries any. */
    sync: (h: HostContext): SyncSpec[] =>
      existsSync(join(h.run.pkgDir, 'debs', s.module))
        ? [{ local: `debs/${s.module}`, remote: debDir(h.vars) }]
        : [],
    install: async (v: Vars, p: Placement): Promise<Step[]> => [
      packagesStep([...s.packages, 'supervisor'], v, debDir(v)),
      distroServiceOffStep(s.distroServices),
      ...(await s.setup(v, p)),
      ...supervisordSteps(v),
      programsStep(v, s.module, s.programs(v)),
      s.consul(v),
    ],
    start: (v: Vars): Step[] => [
      ...(s.preStart?.(v) ?? []),
      ...supervisordSteps(v),
      startStep(v, s.module),
      s.ready(v),
    ],
    stop: (v: Vars): Step[] => [stopStep(v, s.module)],
    status: (v: Vars): Step[] => [statusStep(v, s.module), s.check(v)],
  };
}
