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
  /** Check interval (default 5s). */
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
  const interval = s.interval ?? '5s';
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
  const service = { id: s.name, name: s.name, address: v.LAN_IP, port: s.port, tags: s.tags ?? [], check };
  return `${JSON.stringify({ service }, null, 2)}\n`;
}

/**
 * A step writing the definition; when it changed and the local agent runs, the whole config dir is
 * checked with `consul validate` and the agent reloaded (a bad file fails the step, not the running agent).
 */
export function consulServiceStep(v: Vars, s: ConsulService): Step {
  const path = `${v.INSTALL_PATH}/etc/consul.d/service-${s.name}.json`;
  const bin = shQuote(consulBin(v));
  const addr = `-http-addr=127.0.0.1:${v.CONSUL_HTTP_PORT || '8500'}`;
  return {
    id: `consul-service-${s.name}`,
    title: `consul service ${s.name}`,
    files: [{ path, content: serviceDefinition(v, s), mode: 0o644 }],
    script: `if [ -e "$BK_TMP/changed" ] && ${bin} info ${addr} >/dev/null 2>&1; then
  if ! out=$(${bin} validate ${shQuote(`${v.INSTALL_PATH}/etc/consul.d`)} 2>&1); then
    echo "$out" >&2
    echo "consul validate rejected the config dir with ${path}; the running agent was not reloaded" >&2; exit 1
  fi
  ${bin} reload ${addr} >/dev/null
fi`,
  };
}
