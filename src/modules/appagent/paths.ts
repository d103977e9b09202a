// Where the app agent (module appo or appt) lives on its host.
import { nodeRuntime } from '../../../lib/runtime';
import type { Placement } from '../../engine/types';

type Vars = Readonly<Record<string, string>>;

/** The two agent modules and the environment each serves. */
export type AgentModule = 'appo' | 'appt';
export const MODE: Record<AgentModule, 'prod' | 'test'> = { appo: 'prod', appt: 'test' };

/** Paths on an agent host; its nginx config stays out of etc/nginx/ (the front nginx includes *.conf there). */
export const agentPaths = (v: Vars) => {
  const p = v.INSTALL_PATH;
  return {
    home: `${p}/paas_agent`,
    bundle: `${p}/paas_agent/bin/main.mjs`,
    apps: `${p}/paas_agent/apps`,
    conf: `${p}/etc/paas_agent/agent.json`,
    nginxConf: `${p}/etc/paas_agent/nginx.conf`,
    nginxInclude: `${p}/etc/paas_agent/nginx.d`,
    nginxTmp: `${p}/tmp/paas_agent_nginx`,
    logs: `${p}/logs/paas_agent`,
    /** The root helper's socket folder (root:<service user> 0750). */
    helperDir: `${p}/run/paas_agent`,
    /** Apps' logs: root 0711 (each app user passes through to its own 0750 folder, lists nothing). */
    appLogs: `${p}/logs/paas_apps`,
    supervisorConf: `${p}/etc/supervisord.conf`,
    supervisorInclude: `${p}/etc/supervisor.d`,
    node: nodeRuntime(p!).bin,
    npmCli: nodeRuntime(p!).npmCli,
  };
};

/** appengine as agents reach it: the first host running paas(appengine), on its own port. */
export function engineUrl(v: Vars, p: Placement): string {
  const ip = p.hostsOf('paas', 'appengine')[0];
  if (!ip)
    throw new Error(
      'expected a host running paas(appengine) in install.config (the agent reports to it), found none',
    );
  return `http://${ip}:${v.APPENGINE_PORT || '8000'}`;
}

/**
 * The prefix of the per-app Unix users the agent makes (`<prefix><code>`): APPS_USER_PREFIX from
 * globals.env, else the agent's default (`bkt-` on appt, `bko-` on appo).
 */
export const appUserPrefix = (v: Vars): string | undefined => {
  const u = v.APPS_USER_PREFIX;
  if (u === undefined || u === '') return undefined;
  if (!/^[a-z][a-z0-9]{0,5}-$/.test(u))
    throw new Error(`expected APPS_USER_PREFIX to be a short prefix like bkt-, found ${JSON.stringify(u)}`);
  return u;
};

/** The hosts allowed to call the agent API: those running paas(appengine). */
export function engineHosts(p: Placement): string[] {
  const ips = p.hostsOf('paas', 'appengine');
  if (ips.length === 0)
    throw new Error(
      'expected a host running paas(appengine) in install.config (the agent obeys it), found none',
    );
  return ips;
}
