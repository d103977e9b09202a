// Where the PaaS programs live on a host, which projects a host runs, and how they reach each other.
import type { HostContext } from '../../engine/types';
import { paasManifest } from './manifest';

type Vars = Readonly<Record<string, string>>;

/** The four programs, in start order (login and appengine first: paas's health depends on them). */
export const PAAS_PROJECTS = paasManifest.projects;
export type PaasProject = (typeof PAAS_PROJECTS)[number];

/** The ports.env name of each project's listen port. */
export const PORT_VAR: Record<string, string> = {
  appengine: 'APPENGINE_PORT',
  paas: 'PAAS_PORT',
  esb: 'ESB_PORT',
  login: 'LOGIN_PORT',
};

/** Paths on a paas host. */
export const paasPaths = (v: Vars) => ({
  home: `${v.INSTALL_PATH}/open_paas`,
  conf: `${v.INSTALL_PATH}/etc/open_paas.json`,
  logs: `${v.INSTALL_PATH}/logs/open_paas`,
  manage: `${v.INSTALL_PATH}/open_paas/manage.mjs`,
});

/** A paas host as steps see it: its IP, variables and the run's placement query. */
export type PaasHost = Pick<HostContext, 'ip' | 'vars' | 'run'>;

/** Projects install.config places on this host (whatever the command line narrowed). */
export function projectsHere(h: PaasHost): string[] {
  const here = h.run.projectsOf(h.ip, 'paas');
  return PAAS_PROJECTS.filter((p) => here.includes(p));
}

/** Projects a command acts on: the command line's (`bkcec restart paas esb`) within the host's. */
export function projectsFor(h: PaasHost, fromContext: readonly string[] | undefined): string[] {
  const here = projectsHere(h);
  return fromContext?.length ? here.filter((p) => fromContext.includes(p)) : here;
}

/** Base URL of a project as this host reaches it: itself when it runs it, else the first host that does. */
export function innerUrl(h: PaasHost, project: string): string {
  const ips = h.run.hostsOf('paas', project);
  const ip = ips.includes(h.ip) || ips.length === 0 ? h.ip : ips[0];
  return `http://${ip}:${h.vars[PORT_VAR[project]!]}`;
}

/** The health URL of a project on a host, as its own port serves it. */
export const healthPath = (project: string): string =>
  project === 'appengine' ? '/v1/healthz/' : '/healthz/';
