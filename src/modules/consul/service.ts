// The one way modules register their services in the host's Consul agent: a JSON definition in
// INSTALL_PATH/etc/consul.d/ with a real health check, then a reload when it changed.
import { shQuote } from '../../engine/script';
import type { Step } from '../../engine/types';

export interface ConsulService {
  /** DNS name: `<name>.service.consul`. */
  name: string;
  port: number;
  /** TCP connect check on LAN_IP:port, or an HTTP(S) GET that must answer 2xx. */
  check: { tcp: true } | { http: string; tlsSkipVerify?: boolean };
  tags?: string[];
  /** Check interval (default 1s: a service answers in DNS only after a passing check, and Consul
   * runs a newly (re)loaded check first at a random moment within one interval). */
  interval?: string;
}

type Vars = Readonly<Record<string, string>>;

/** The folder `sync` fills with the binary on every host. */
export const consulHome = (v: Vars): string => `${v.INSTALL_PATH}/service/consul`;

/** Where the consul binary lives on every host. */
export const consulBin = (v: Vars): string => `${consulHome(v)}/consul`;

/** The service definition JSON for a host. */
export function serviceDefinition(v: Vars, s: ConsulService): string {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(s.name)) {
    throw new Error(
      `expected a Consul service name of lower-case letters, digits and - (a DNS label), found '${s.name}'`,
    );
  }
  if (!Number.isInteger(s.port) || s.port < 1 || s.port > 65535) {
    throw new Error(`expected service ${s.name} to have a port 1-65535, found ${s.port}`);
  }
  const interval = s.interval ?? '1s';
  const check =
    'tcp' in s.check
      ? {
          id: `${s.name}-tcp`,
          name: `${s.name} tcp ${v.LAN_IP}:${s.port}`,
          tcp: `${v.LAN_IP}:${s.port}`,
          interval,
          timeout: '2s',
        }
      : {
          id: `${s.name}-http`,
          name: `${s.name} http`,
          http: s.check.http,
          tls_skip_verify: Boolean(s.check.tlsSkipVerify),
          interval,
          timeout: '3s',
        };
  const service = {
    token: TOKEN_MARK,
    id: s.name,
    name: s.name,
    address: v.LAN_IP,
    port: s.port,
    tags: s.tags ?? [],
    check,
  };
  return `${JSON.stringify({ service }, null, 2)}\n`;
}

/** Stands for the service's ACL token in a definition until the host puts its token file's value there. */
export const TOKEN_MARK = '@BK_CONSUL_TOKEN@';

/** Where a service's definition waits (without its token) for bk_consul_render. */
export const serviceTemplatePath = (v: Vars, name: string): string =>
  `${v.INSTALL_PATH}/etc/consul/services/${name}.json`;

/**
 * Bash defining bk_consul_render NAME: the definition template with the host's token for NAME, as
 * consul.d/service-NAME.json (root:consul 0640). Without consul on the host yet, the definition goes
 * without a token (consul's install renders it again); with consul and no token file, it fails.
 */
export function renderFunction(v: Vars): string {
  const p = v.INSTALL_PATH;
  const line = `    "token": "${TOKEN_MARK}",`;
  return `bk_consul_render() {
  local n=$1 tok="" def grp=root
  local tpl="${p}/etc/consul/services/$n.json" out="${p}/etc/consul.d/service-$n.json" tokf="${p}/etc/consul/tokens/service-$n.token"
  if [ -f "$tokf" ]; then read -r tok < "$tokf"
  elif [ -f ${shQuote(`${p}/etc/consul.d/acl.json`)} ]; then
    echo "no Consul ACL token for service $n on this host ($tokf): install.config must place its module here; then run bkcec install consul" >&2; return 1
  fi
  def=$(cat "$tpl")
  if [ -n "$tok" ]; then def=\${def/${TOKEN_MARK}/$tok}; else def=\${def/${shQuote(line)}$'\n'/}; fi
  printf '%s\n' "$def" > "$BK_TMP/service-$n.json"
  if getent group consul >/dev/null; then grp=consul; fi
  mkdir -p "${p}/etc/consul.d"
  if ! cmp -s "$BK_TMP/service-$n.json" "$out" || [ "$(stat -c %a:%G "$out")" != "640:$grp" ]; then
    install -m 0640 -g "$grp" "$BK_TMP/service-$n.json" "$out"; bk_changed
  fi
}`;
}

/**
 * A step writing the definition; when it changed and the local agent runs, the whole config dir is
 * checked with `consul validate` and the agent reloaded (a bad file fails the step, not the running agent).
 */
export function consulServiceStep(v: Vars, s: ConsulService): Step {
  const path = `${v.INSTALL_PATH}/etc/consul.d/service-${s.name}.json`;
  const bin = shQuote(consulBin(v));
  const addr = `-http-addr=127.0.0.1:${v.CONSUL_HTTP_PORT || '8500'}`;
  const cli = `${v.INSTALL_PATH}/etc/consul/tokens/cli.token`;
  return {
    id: `consul-service-${s.name}`,
    title: `consul service ${s.name}`,
    files: [{ path: serviceTemplatePath(v, s.name), content: serviceDefinition(v, s), mode: 0o644 }],
    script: `${renderFunction(v)}
rm -f "$BK_TMP/changed"
bk_consul_render ${shQuote(s.name)}
if [ -f ${shQuote(cli)} ]; then export CONSUL_HTTP_TOKEN_FILE=${shQuote(cli)}; fi
if [ -e "$BK_TMP/changed" ] && ${bin} info ${addr} >/dev/null 2>&1; then
  if ! out=$(${bin} validate ${shQuote(`${v.INSTALL_PATH}/etc/consul.d`)} 2>&1); then
    echo "$out" >&2
    echo "consul validate rejected the config dir with ${path}; the running agent was not reloaded" >&2; exit 1
  fi
  ${bin} reload ${addr} >/dev/null
fi`,
  };
}
