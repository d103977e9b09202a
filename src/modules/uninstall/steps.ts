// The host steps of `uninstall <module>`: out of Consul first (DNS stops sending clients there), then
// the programs stopped and their supervisor group dropped, configuration and programs removed, data
// removed only when purged, and the module taken off `.installed_module`.
import { shQuote } from '../../engine/script';
import type { Step } from '../../engine/types';
import { svFunctions } from '../common/supervisor-sh';
import { aclPaths } from '../consul/acl/files';
import { consulPaths } from '../consul/config';
import { removeBlockScript } from '../consul/etchosts';
import { consulBin } from '../consul/service';
import { footprint } from './paths';

type Vars = Readonly<Record<string, string>>;

const rmList = (paths: readonly string[]) =>
  paths
    .map(
      (f) => `if [ -e ${shQuote(f)} ] || [ -L ${shQuote(f)} ]; then rm -rf -- ${shQuote(f)}; bk_changed; fi`,
    )
    .join('\n');

/** The module's Consul services deregistered (definition and template) and the agent reloaded. */
function servicesStep(v: Vars, services: readonly string[]): Step {
  const p = v.INSTALL_PATH;
  // The service's ACL token stays: consul's own config wrote it and an install here again uses it.
  const files = services.flatMap((n) => [
    `${p}/etc/consul.d/service-${n}.json`,
    `${p}/etc/consul/services/${n}.json`,
  ]);
  const bin = shQuote(consulBin(v));
  const cli = shQuote(aclPaths(v).cliToken);
  return {
    id: 'consul-services',
    title: `consul services removed: ${services.join(', ') || 'none'}`,
    always: true,
    script: `${rmList(files)}
if [ -e "$BK_TMP/changed" ] && [ -x ${bin} ]; then
  if [ -f ${cli} ]; then export CONSUL_HTTP_TOKEN_FILE=${cli}; fi
  ${bin} info -http-addr=127.0.0.1:${v.CONSUL_HTTP_PORT || '8500'} >/dev/null 2>&1 && ${bin} reload -http-addr=127.0.0.1:${v.CONSUL_HTTP_PORT || '8500'} >/dev/null
fi`,
  };
}

/** The supervisor group's file removed and supervisord told (the stopped group disappears). */
function programsStep(v: Vars, module: string): Step {
  const f = shQuote(`${v.INSTALL_PATH}/etc/supervisor.d/${module}.conf`);
  return {
    id: 'programs',
    title: `supervisor group ${module} removed`,
    always: true,
    script: `${svFunctions(v)}
[ -e ${f} ] || exit 0
rm -f ${f}; bk_changed
if sv_up; then out=$(supervisorctl -c "$sv_conf" update 2>&1) || { echo "$out" >&2; exit 1; }; fi`,
  };
}

/** What a module changed outside INSTALL_PATH, put back. */
function restoreScript(v: Vars, module: string): string {
  if (module === 'nginx')
    return `f=/etc/nginx/nginx.conf
if [ "$(readlink $f 2>/dev/null)" = ${shQuote(`${v.INSTALL_PATH}/etc/nginx.conf`)} ]; then
  rm -f $f; if [ -e $f.bkcec-orig ]; then mv $f.bkcec-orig $f; fi; bk_changed
fi`;
  if (module === 'consul') {
    const orig = shQuote(consulPaths(v).resolvOrig);
    // Written in place: resolv.conf and /etc/hosts may be symlinks or mounts.
    return `if [ -e ${orig} ]; then cat ${orig} > /etc/resolv.conf; rm -f ${orig}; bk_changed; fi
${removeBlockScript()}`;
  }
  return '';
}

/** `.installed_module` without the module; the host's supervisord stopped once no module is left. */
function recordStep(v: Vars, module: string): Step {
  const f = shQuote(`${v.INSTALL_PATH}/.installed_module`);
  return {
    id: 'installed-module',
    title: `remove ${module} from .installed_module`,
    always: true,
    script: `${svFunctions(v)}
if [ -e ${f} ] && grep -qx '${module}' ${f}; then grep -vx '${module}' ${f} > ${f}.tmp || true; mv ${f}.tmp ${f}; bk_changed; fi
if [ ! -s ${f} ] && sv_up; then
  kill "$(cat '${v.INSTALL_PATH}/run/supervisord.pid')"; bk_changed
  for i in $(seq 100); do sv_up || exit 0; sleep 0.1; done
  echo "supervisord did not stop; see ${v.INSTALL_PATH}/logs/supervisord.log" >&2; exit 1
fi`,
  };
}

/** Consul goes last: the host's other modules register their services in it. */
function aloneStep(v: Vars): Step {
  const f = shQuote(`${v.INSTALL_PATH}/.installed_module`);
  return {
    id: 'alone',
    title: 'consul is the last module of the host',
    always: true,
    script: `others=$(grep -vx consul ${f} 2>/dev/null || true)
if [ -n "$others" ]; then
  echo "expected consul to be the last module of this host, found $(echo $others) still installed: uninstall them first (bkcec uninstall all --limit ${v.LAN_IP})" >&2; exit 1
fi`,
  };
}

/**
 * The uninstall steps of `module` on one host; `stop` are the module's own stop steps (run after it
 * left Consul). With `purge`, its data folders go too; without, they are named as kept.
 */
export function uninstallSteps(module: string, v: Vars, stop: readonly Step[], purge: boolean): Step[] {
  const fp = footprint(module, v);
  if (!fp) throw new Error(`expected a module bkcec can uninstall, found ${JSON.stringify(module)}`);
  const data = fp.data.join(' ');
  return [
    ...(module === 'consul' ? [aloneStep(v)] : []),
    servicesStep(v, fp.services),
    ...stop.map((s) => ({ ...s, id: `stop-${s.id}`, always: true })),
    programsStep(v, module),
    {
      id: 'files',
      title: `programs and configuration of ${module} removed`,
      always: true,
      script: `${rmList(fp.files)}\n${restoreScript(v, module)}`,
    },
    purge
      ? {
          id: 'data',
          title: `data of ${module} removed (--purge-data)`,
          always: true,
          script: rmList(fp.data),
        }
      : {
          id: 'data',
          title: `data of ${module} kept`,
          always: true,
          script: `kept=""; for d in ${data}; do [ -e "$d" ] && kept="$kept $d"; done
[ -z "$kept" ] || bk_status "kept data:$kept (remove it with --purge-data)"`,
        },
    recordStep(v, module),
  ];
}
