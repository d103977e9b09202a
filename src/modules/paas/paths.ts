// Where the PaaS programs live on a host, which projects a host runs, and how they reach each other.
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

const ipsOf = (v: Vars, name: string): string[] => (v[name] ?? '').split(' ').filter(Boolean);

/** Projects install.config places on this host (whatever the command line narrowed). */
export function projectsHere(v: Vars): string[] {
  return PAAS_PROJECTS.filter((p) => ipsOf(v, `PAAS_${p.toUpperCase()}_IP`).includes(v.LAN_IP ?? ''));
}

/** Projects a command acts on: the command line's (`bkcec restart paas esb`) within the host's. */
export function projectsFor(v: Vars, fromContext: readonly string[] | undefined): string[] {
  const here = projectsHere(v);
  return fromContext?.length ? here.filter((p) => fromContext.includes(p)) : here;
}

/** Base URL of a project as this host reaches it: itself when it runs it, else the first host that does. */
export function innerUrl(v: Vars, project: string): string {
  const ips = ipsOf(v, `PAAS_${project.toUpperCase()}_IP`);
  const ip = ips.includes(v.LAN_IP ?? '') || ips.length === 0 ? v.LAN_IP : ips[0];
  return `http://${ip}:${v[PORT_VAR[project]!]}`;
}

/** The health URL of a project on a host, as its own port serves it. */
export const healthPath = (project: string): string =>
  project === 'appengine' ? '/v1/healthz/' : '/healthz/';
