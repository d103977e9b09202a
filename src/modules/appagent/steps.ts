// install / start / stop / status / initdata of an app agent host.
import { shQuote } from '../../engine/script';
import type { HostContext, RunContext, Step } from '../../engine/types';
import { distroServiceOffStep, packagesStep } from '../common/packages';
import { secretFilesScript, serviceUser, serviceUserSteps } from '../common/service-user';
import { programsStep, startStep, statusStep, stopStep, supervisordSteps } from '../common/supervisor';
import { consulServiceStep } from '../consul/service';
import { agentConfig, agentNginxConf } from './config';
import { ensureServers, type ServerCredentials } from './credentials';
import { type AgentModule, agentPaths } from './paths';

type Vars = Readonly<Record<string, string>>;
const supervisord = (v: Vars) => supervisordSteps(v).map((s) => ({ ...s, always: true }));

/** Each host's server id and token, by `<module>@<ip>`. */
export type Credentials = ReadonlyMap<string, ServerCredentials>;

/** Controller side: each host's server id and token, made once into `.app_servers`. */
export const prepareCredentials =
  (module: AgentModule) =>
  (ctx: RunContext, hosts: readonly string[]): Promise<Credentials> =>
    ensureServers(
      ctx.controlDir,
      hosts.map((ip) => `${module}@${ip}`),
    );

/**
 * Debian packages of an agent host. Python apps use Debian's python3 with venv (security updates
 * come with the OS, no second interpreter to maintain); gcc, pkg-config, python3-dev and
 * libmariadb-dev let common SaaS requirements (mysqlclient) build from source.
 */
export const AGENT_PACKAGES = [
  'nginx',
  'supervisor',
  'git',
  'python3',
  'python3-venv',
  'python3-dev',
  'gcc',
  'pkg-config',
  'libmariadb-dev',
];

/** `install appo|appt`: packages, folders, config, nginx, supervisor programs, consul service. */
export function installSteps(module: AgentModule) {
  return (h: HostContext, creds?: Credentials): Step[] => {
    const v = h.vars;
    const p = agentPaths(v);
    const cred = creds?.get(`${module}@${h.ip}`);
    const u = serviceUser(v);
    // root:<service user> 0640: the API (service user) and the helper (root) read it
    const config: Step = cred
      ? {
          id: 'config',
          title: `render ${p.conf}`,
          files: [{ path: p.conf, content: agentConfig(v, h.run, module, cred), mode: 0o640 }],
          script: secretFilesScript(v, [p.conf]),
          notify: module,
        }
      : { id: 'config', title: `render ${p.conf}`, dynamic: true };
    return [
      packagesStep(AGENT_PACKAGES, v),
      distroServiceOffStep(['nginx']),
      ...serviceUserSteps(v),
      {
        id: 'layout',
        title: `folders under ${p.home} (the helper makes one user per app)`,
        // root's folders: the API (the service user) writes nothing on the host but through the
        // helper; its logs are root:<service user> 0750 (supervisord and nginx write them as root,
        // so the service user must not own them); app users only pass through to their own app logs.
        script: `install -d -m 0755 -o root -g root ${p.apps} ${p.nginxInclude} ${p.supervisorInclude} ${p.nginxTmp}
install -d -m 0750 -o root -g ${u} ${p.logs} ${p.helperDir}
install -d -m 0711 -o root -g root ${p.appLogs}
chown root:${u} ${p.logs} ${p.helperDir}; chmod 0750 ${p.logs} ${p.helperDir}; chown root:root ${p.appLogs}; chmod 0711 ${p.appLogs}
find ${p.logs} -maxdepth 1 -type f -perm /o=rwx -exec chmod o-rwx {} +
[ -f ${shQuote(p.bundle)} ] || { echo "expected the agent bundle at ${p.bundle} (bkcec sync ${module} ships it)" >&2; exit 1; }
${shQuote(p.node)} --version >/dev/null || { echo "expected the platform's Node.js at ${p.node} (bkcec sync ${module} ships it)" >&2; exit 1; }`,
      },
      config,
      {
        id: 'nginx-config',
        title: `render ${p.nginxConf}`,
        files: [{ path: p.nginxConf, content: agentNginxConf(v) }],
        notify: module,
      },
      programsStep(v, module, [
        {
          name: 'agent',
          command: `${p.node} ${p.bundle} --config ${p.conf}`,
          directory: p.home,
          user: u,
          startsecs: 2,
          stopwaitsecs: 20,
        },
        // the only root part: a fixed set of operations on one app each (platform/agent/helper)
        {
          name: 'helper',
          command: `${p.node} ${p.bundle} helper --config ${p.conf}`,
          directory: p.home,
          startsecs: 1,
          stopwaitsecs: 20,
        },
        { name: 'nginx', command: `/usr/sbin/nginx -c ${p.nginxConf}`, startsecs: 2, stopsignal: 'QUIT' },
      ]),
      consulServiceStep(v, { name: module, port: Number(v.APP_NGINX_PORT), check: { tcp: true } }),
    ];
  };
}

/** `start`: nginx -t, the group up, the agent answering /healthz. */
export function startSteps(module: AgentModule) {
  return (h: HostContext): Step[] => {
    const v = h.vars;
    const p = agentPaths(v);
    return [
      {
        id: 'nginx-test',
        title: 'nginx -t of the agent nginx',
        always: true,
        // nginx -t opens (creates) its log files: with root's umask they would be 0644
        script: `umask 027
out=$(nginx -t -q -c ${shQuote(p.nginxConf)} 2>&1) || { echo "$out" >&2; exit 1; }
find ${shQuote(p.logs)} -maxdepth 1 -type f -perm /o=rwx -exec chmod o-rwx {} +`,
      },
      ...supervisord(v),
      startStep(v, module),
      {
        id: 'agent-health',
        title: `agent answers on ${v.PAASAGENT_PORT}`,
        always: true,
        script: `for i in $(seq 50); do [ "$(curl -fsS --max-time 2 http://${v.LAN_IP}:${v.PAASAGENT_PORT}/healthz 2>/dev/null)" = alive ] && exit 0; sleep 0.2; done
echo "expected the agent to answer 'alive' on ${v.LAN_IP}:${v.PAASAGENT_PORT}/healthz (its LAN address); see ${v.INSTALL_PATH}/logs/${module}/agent.out.log" >&2; exit 1`,
      },
    ];
  };
}

/** `initdata`: register and activate this agent with appengine (needs paas running). */
export function initdataSteps(module: AgentModule) {
  return (h: HostContext): Step[] => {
    const v = h.vars;
    const p = agentPaths(v);
    return [
      {
        id: 'enroll',
        title: `register and activate the ${module} server with appengine`,
        always: true,
        env: { BKCEC_ESB_TOKEN: v.ESB_TOKEN ?? '' },
        script: `out=$(${shQuote(p.node)} ${shQuote(p.bundle)} --config ${shQuote(p.conf)} enroll --ip ${v.LAN_IP} --web-port ${v.APP_NGINX_PORT} 2>&1) || { echo "$out" >&2; exit 1; }
bk_status "$out"`,
      },
    ];
  };
}

/** `stop` and `status` of the group. */
export const stopSteps =
  (module: AgentModule) =>
  (h: HostContext): Step[] => [stopStep(h.vars, module)];
export const statusSteps =
  (module: AgentModule) =>
  (h: HostContext): Step[] => [statusStep(h.vars, module)];
