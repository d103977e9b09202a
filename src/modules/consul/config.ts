// The agent configuration of one host (consul.json): server or client from install.config, every
// node joining the servers, DNS on the loopback for the system resolver, gossip encrypted.
import type { Placement } from '../../engine/types';

type Vars = Readonly<Record<string, string>>;

/** Where a host's Consul files live. */
export const consulPaths = (v: Vars) => ({
  configDir: `${v.INSTALL_PATH}/etc/consul.d`,
  config: `${v.INSTALL_PATH}/etc/consul.d/consul.json`,
  /** The generated config waits here until `consul validate` accepts it. */
  staged: `${v.INSTALL_PATH}/etc/consul.json.staged`,
  dataDir: `${v.INSTALL_PATH}/public/consul`,
  resolvOrig: `${v.INSTALL_PATH}/etc/resolv.conf.bkcec-orig`,
});

/** The Consul server IPs: hosts listing `consul` in install.config. */
export function consulServers(p: Placement): string[] {
  const ips = p.hostsOf('consul');
  if (ips.length === 0) throw new Error('expected a host listing consul in install.config, found none');
  return ips;
}

/** Whether the host `ip` runs a Consul server. */
export const isServer = (p: Placement, ip: string): boolean => consulServers(p).includes(ip);

/** A node name that is unique per host and stable (hostnames are often alike, e.g. `localhost`). */
export const nodeName = (ip: string): string => `bk-${ip.replace(/[.:]/g, '-')}`;

const port = (v: Vars, name: string, fallback: number): number => {
  const raw = v[name] ?? String(fallback);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new Error(`expected ${name} to be a port 1-65535, found '${raw}'`);
  return n;
};

/** Datacenter name: CONSUL_DATACENTER from globals.env, else dc1. */
export function datacenter(v: Vars): string {
  const dc = v.CONSUL_DATACENTER || 'dc1';
  if (!/^[a-z0-9_-]{1,63}$/i.test(dc)) {
    throw new Error(`expected CONSUL_DATACENTER to be letters, digits, - or _ (at most 63), found '${dc}'`);
  }
  return dc;
}

/** The agent config object for a host; `recursors` are the host's previous nameservers. */
export function agentConfig(v: Vars, p: Placement, recursors: readonly string[]): Record<string, unknown> {
  const ip = v.LAN_IP;
  if (!ip) throw new Error('expected LAN_IP for the host, found none');
  const key = v.CONSUL_ENCRYPT;
  if (!key) throw new Error('expected CONSUL_ENCRYPT in globals.env (bkcec init makes it), found none');
  const servers = consulServers(p);
  const server = servers.includes(ip);
  return {
    datacenter: datacenter(v),
    node_name: nodeName(ip),
    data_dir: consulPaths(v).dataDir,
    bind_addr: ip,
    advertise_addr: ip,
    client_addr: '127.0.0.1',
    ports: { dns: port(v, 'CONSUL_DNS_PORT', 53), http: port(v, 'CONSUL_HTTP_PORT', 8500) },
    ...(server ? { server: true, bootstrap_expect: servers.length } : { server: false }),
    retry_join: servers,
    // The default (30 s) leaves a restarted node alone for long; joining is cheap.
    retry_interval: '3s',
    encrypt: key,
    ...(recursors.length ? { recursors: [...recursors] } : {}),
    // Only passing instances are answered: a failing service drops out of DNS.
    dns_config: { only_passing: true },
    leave_on_terminate: false,
    skip_leave_on_interrupt: true,
    rejoin_after_leave: true,
    disable_update_check: true,
    enable_local_script_checks: false,
    // Production timing (the default multiplier 5 is for tiny machines): elections in ~1-2 s.
    performance: { raft_multiplier: 1 },
    log_level: 'INFO',
  };
}

/** consul.json text (stable key order, so an unchanged config is byte-identical). */
export const agentConfigJson = (v: Vars, p: Placement, recursors: readonly string[]): string =>
  `${JSON.stringify(agentConfig(v, p, recursors), null, 2)}\n`;
