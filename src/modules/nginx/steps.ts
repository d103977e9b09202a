// The host steps of the nginx module on the nginx hosts: config, /etc/nginx link, program, checks.
import type { Placement, Step } from '../../engine/types';
import { templatesDir } from '../../paths';
import { renderDir } from '../../render';
import type { ServiceSpec } from '../common/supervised';
import type { Program } from '../common/supervisor';
import { svFunctions } from '../common/supervisor-sh';
import { consulServiceStep } from '../consul/service';
import { platformEnvStep } from './miniweb';
import { redactedLogFormat, redactionMaps } from './redact';
import { vhostVars } from './vhost';

type Vars = Readonly<Record<string, string>>;

const TEMPLATES = templatesDir('nginx');
const conf = (v: Vars) => `${v.INSTALL_PATH}/etc/nginx.conf`;
const errorLog = (v: Vars) => `${v.INSTALL_PATH}/logs/nginx/error.log`;
const nginxCmd = (v: Vars) => `/usr/sbin/nginx -c ${conf(v)} -e ${errorLog(v)}`;

/** nginx in the foreground (`daemon off` in its config); QUIT lets requests finish. */
export const nginxProgram = (v: Vars): Program => ({
  name: 'nginx',
  command: nginxCmd(v),
  stopsignal: 'QUIT',
});

/** nginx.conf and the vhosts rendered, with the dirs they name; a change makes a restart owed. */
export async function configStep(v: Vars, pl: Placement): Promise<Step> {
  const maps = redactionMaps()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
  const files = await renderDir(
    TEMPLATES,
    { ...v, ...vhostVars(v, pl), NGINX_LOG_MAPS: maps, NGINX_LOG_FORMAT: redactedLogFormat('main') },
    { installPath: v.INSTALL_PATH!, moduleHome: `${v.INSTALL_PATH}/etc` },
  );
  const p = v.INSTALL_PATH;
  return {
    id: 'config',
    title: 'render nginx.conf and vhosts',
    // Only the master (root) reads them; the vhost carries the front-door proof of ESB calls.
    files: files.map((f) => ({ ...f, mode: 0o640 })),
    // A reload takes new vhosts and upstreams without dropping a connection (see reloadStep).
    notify: RELOAD_UNIT,
    // Logs readable by root only: 0750 folder, files created 0640 (the master opens them as root).
    script: `mkdir -p ${p}/tmp/nginx ${p}/run ${p}/miniweb/download
install -d -m 0750 ${p}/logs/nginx
chmod 0750 ${p}/logs/nginx
find ${p}/logs/nginx -maxdepth 1 -type f -exec chmod 0640 {} +`,
  };
}

/** /etc/nginx/nginx.conf → ours; the distro's original kept once as nginx.conf.bkcec-orig. */
export function etcLinkStep(v: Vars): Step {
  return {
    id: 'etc-link',
    title: '/etc/nginx/nginx.conf → INSTALL_PATH/etc/nginx.conf',
    always: true,
    script: `f=/etc/nginx/nginx.conf
[ "$(readlink $f 2>/dev/null)" = "${conf(v)}" ] && exit 0
mkdir -p /etc/nginx
if [ -e $f ] && [ ! -L $f ] && [ ! -e $f.bkcec-orig ]; then mv $f $f.bkcec-orig; fi
ln -sfn ${conf(v)} $f; bk_changed`,
  };
}

/** `nginx -t` on the rendered config: a bad config never reaches a (re)start. */
export const configTestStep = (v: Vars): Step => ({
  id: 'configtest',
  title: 'nginx -t',
  always: true,
  // nginx -t creates the log files when missing: 0640 like those nginx itself makes under supervisord.
  script: `umask 027
if ! out=$(${nginxCmd(v)} -t -q 2>&1); then echo "$out" >&2; echo "nginx -t refused ${conf(v)}; nothing was (re)started" >&2; exit 1; fi`,
});

/** The consul service `nginx`, checked by HTTP on the miniweb. */
export const nginxConsulStep = (v: Vars): Step =>
  consulServiceStep(v, {
    name: 'nginx',
    port: Number(v.DEFAULT_HTTP_PORT),
    check: { http: `http://${v.LAN_IP}:${v.DEFAULT_HTTP_PORT}/download/` },
  });

/** The debt of a changed nginx config: paid by a reload of a running nginx (a stopped one starts with it). */
export const RELOAD_UNIT = 'nginx-reload';

/** A running nginx reloaded (HUP: new workers take the config, old ones finish their requests). */
export const reloadStep = (v: Vars): Step => ({
  id: 'reload',
  title: 'reload nginx for a changed config',
  always: true,
  consumes: RELOAD_UNIT,
  script: `${svFunctions(v)}
[ "$BK_RESTART_OWED" = 1 ] || exit 0
sv_up || exit 0
now=$(sv_states nginx)
sv_all_in "$now" RUNNING || exit 0
m=$(supervisorctl -c "$sv_conf" pid nginx:nginx-nginx)
old=$(cat /proc/"$m"/task/*/children 2>/dev/null || true)
out=$(supervisorctl -c "$sv_conf" signal HUP nginx:nginx-nginx 2>&1) || { echo "$out" >&2; exit 1; }
bk_changed
# Done when the workers of the old config are gone (they finish their requests first; 10 s at most).
for i in $(seq 200); do
  left=""; for w in $old; do [ -e /proc/"$w" ] && left="$left $w"; done
  [ -z "$left" ] && exit 0
  sleep 0.05
done
bk_warn "nginx workers of the previous config still finishing requests:$left"`,
});

/** An HTTP GET of /download/ on LAN_IP (bash's /dev/tcp: no curl needed); 200 expected. */
export const probeStep = (v: Vars, id = 'probe'): Step => ({
  id,
  title: `HTTP probe of ${v.LAN_IP}:${v.DEFAULT_HTTP_PORT}/download/`,
  always: true,
  script: `probe() { timeout 5 bash -c 'exec 5<>/dev/tcp/$0/$1 && printf "GET /download/ HTTP/1.0\\r\\nHost: $0\\r\\n\\r\\n" >&5 && head -n1 <&5' ${v.LAN_IP} ${v.DEFAULT_HTTP_PORT} 2>&1 | tr -d '\\r'; }
for i in $(seq 100); do line=$(probe || true); case "$line" in *' 200 '*|*' 200') break;; esac; sleep 0.05; done
case "$line" in *' 200 '*|*' 200') bk_status "nginx ${v.LAN_IP}:${v.DEFAULT_HTTP_PORT}/download/: $line";;
  *) bk_status "nginx ${v.LAN_IP}:${v.DEFAULT_HTTP_PORT}/download/: expected HTTP 200, found: \${line:-no answer}"; exit 1;; esac`,
});

/** nginx as a supervised service (on the nginx hosts): configs, platform.env and the /etc link first. */
export const nginxService: ServiceSpec = {
  module: 'nginx',
  packages: ['nginx'],
  distroServices: ['nginx'],
  setup: async (v, pl) => [await configStep(v, pl), platformEnvStep(v), etcLinkStep(v)],
  programs: (v) => [nginxProgram(v)],
  consul: nginxConsulStep,
  preStart: (v) => [configTestStep(v), reloadStep(v)],
  ready: (v) => probeStep(v, 'ready'),
  check: (v) => probeStep(v),
};
