// `install paas` on one host (consul wrote PAAS_FQDN into /etc/hosts): the platform runtime and bundles checked, the
// shared config, one supervisor group with a program per project, and the consul service `paas`.
import type { HostContext, Step } from '../../engine/types';
import { serviceUser, serviceUserSteps } from '../common/service-user';
import { type Program, programsStep } from '../common/supervisor';
import { consulServiceStep } from '../consul/service';
import { configStep } from './config';
import { licenseCertSteps } from './license';
import { healthPath, PAAS_PROJECTS, paasPaths, projectsHere } from './paths';
import { nodeBin, runtimeStep } from './runtime';

type Vars = Readonly<Record<string, string>>;

/** The supervisor program of one project. */
export function paasProgram(v: Vars, project: string): Program {
  const p = paasPaths(v);
  return {
    name: project,
    command: `${nodeBin(v)} ${p.home}/${project}/main.mjs --config ${p.conf}`,
    directory: `${p.home}/${project}`,
    environment: { NODE_ENV: 'production' },
    user: serviceUser(v),
    stopwaitsecs: 20,
  };
}

/** Fails unless every bundle this host needs was shipped by sync. */
function bundlesStep(v: Vars, projects: readonly string[]): Step {
  const p = paasPaths(v);
  const files = [...projects.map((x) => `${p.home}/${x}/main.mjs`), p.manage];
  return {
    id: 'bundles',
    title: `program bundles in ${p.home}`,
    always: true,
    script: `missing=""
for f in ${files.join(' ')}; do [ -f "$f" ] || missing="$missing $f"; done
[ -z "$missing" ] || { echo "expected the paas bundles (bkcec sync paas ships them), found missing:$missing" >&2; exit 1; }`,
  };
}

/** The steps of `install paas` (and the install part of `upgrade paas`) on one host. */
export async function installSteps(h: HostContext): Promise<Step[]> {
  const v = h.vars;
  const projects = projectsHere(h);
  if (projects.length === 0)
    throw new Error(
      `${h.ip}: expected at least one paas project (${PAAS_PROJECTS.join(', ')}) placed here, found none`,
    );
  const steps: Step[] = [
    ...serviceUserSteps(v),
    runtimeStep(v),
    bundlesStep(v, projects),
    ...(await licenseCertSteps(h)),
    await configStep(h),
    programsStep(
      v,
      'paas',
      projects.map((x) => paasProgram(v, x)),
    ),
  ];
  if (projects.includes('paas')) {
    steps.push(
      consulServiceStep(v, {
        name: 'paas',
        port: Number(v.PAAS_PORT),
        check: { http: `http://${v.LAN_IP}:${v.PAAS_PORT}${healthPath('paas')}` },
        interval: '2s',
      }),
    );
  }
  return steps;
}
