// The agent's JSON config (root:<service user> 0640: it holds the server token; schema in lib/config/agent.ts) and its
// nginx.conf, rendered per host.
import type { AgentConfigInput } from '../../../lib/config/agent';
import type { Placement } from '../../engine/types';
import { portVar } from '../common/config-vars';
import { serviceUser } from '../common/service-user';
import { redactedLogFormat, redactionMaps } from '../nginx/redact';
import { type AgentModule, agentPaths, appUserPrefix, engineHosts, engineUrl, MODE } from './paths';

type Vars = Readonly<Record<string, string>>;

/** platform/agent's config for this host. */
export function agentConfig(
  v: Vars,
  pl: Placement,
  module: AgentModule,
  cred: { sid: string; token: string },
): string {
  const p = agentPaths(v);
  const cfg: AgentConfigInput = {
    sid: cred.sid,
    token: cred.token,
    controllerUrl: engineUrl(v, pl),
    mode: MODE[module],
    // the LAN address only; the API obeys appengine's hosts only
    listen: { host: v.LAN_IP!, port: portVar(v, 'PAASAGENT_PORT') },
    allowFrom: engineHosts(pl),
    appsDir: p.apps,
    logDir: p.appLogs,
    nodeBin: p.node,
    npmCli: p.npmCli,
    ...(v.NPM_REGISTRY ? { npmRegistry: v.NPM_REGISTRY } : {}),
    ...(appUserPrefix(v) ? { userPrefix: appUserPrefix(v) } : {}),
    ...(v.PYPI_SERVER_URL ? { pypiIndex: v.PYPI_SERVER_URL } : {}),
    supervisor: { conf: p.supervisorConf, includeDir: p.supervisorInclude },
    nginx: { conf: p.nginxConf, includeDir: p.nginxInclude, port: portVar(v, 'APP_NGINX_PORT') },
    helper: { socket: `${p.helperDir}/helper.sock`, group: serviceUser(v) },
  };
  return `${JSON.stringify(cfg, null, 2)}\n`;
}

/** The agent-side nginx: `/t|o/<code>/` locations from the include dir, 404 for everything else. */
export function agentNginxConf(v: Vars): string {
  const p = agentPaths(v);
  return `# The app entry of this ${v.LAN_IP} agent (written by bkcec; the agent adds one location per app).
user www-data;
worker_processes 2;
daemon off;
pid ${v.INSTALL_PATH}/run/paas_agent_nginx.pid;
error_log ${p.logs}/nginx-error.log warn;
events { worker_connections 2048; }
http {
    # Secret query values logged as *** (nginx/redact.ts); lower error levels quote the raw request.
${redactionMaps('bk')
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
    ${redactedLogFormat('bk_redacted')}
    access_log ${p.logs}/nginx-access.log bk_redacted;
    error_log ${p.logs}/nginx-error.log crit;
    client_max_body_size 512m;
    server_tokens off;
    client_body_temp_path ${p.nginxTmp}/client_body;
    proxy_temp_path ${p.nginxTmp}/proxy;
    fastcgi_temp_path ${p.nginxTmp}/fastcgi;
    uwsgi_temp_path ${p.nginxTmp}/uwsgi;
    scgi_temp_path ${p.nginxTmp}/scgi;
    server {
        listen ${portVar(v, 'APP_NGINX_PORT')};
        include ${p.nginxInclude}/*.conf;
        location / { return 404; }
    }
}
`;
}
