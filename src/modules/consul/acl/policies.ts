// Who may do what in Consul (ACLs on, default deny): each agent writes its own node; each service
// token writes exactly one service name; the default token (anonymous local callers, DNS) only reads.
import { nodeName } from '../config';

type Vars = Readonly<Record<string, string>>;

/** The consul service each module registers, and the host variable listing where it runs. */
export const SERVICE_PLACEMENT: readonly (readonly [service: string, ipVar: string])[] = [
  ['license', 'LICENSE_IP'],
  ['mysql', 'MYSQL_IP'],
  ['redis', 'REDIS_IP'],
  ['nginx', 'NGINX_IP'],
  ['paas', 'PAAS_PAAS_IP'],
  ['appo', 'APPO_IP'],
  ['appt', 'APPT_IP'],
];

const ips = (v: Vars, name: string) => (v[name] ?? '').split(/\s+/).filter(Boolean);

/** The services install.config places on the host of `v` (each gets its own token there). */
export const servicesOf = (v: Vars): string[] =>
  SERVICE_PLACEMENT.filter(([, ipVar]) => ips(v, ipVar).includes(v.LAN_IP ?? '')).map(([s]) => s);

/** Every service some host of install.config registers. */
export const allServices = (v: Vars): string[] =>
  SERVICE_PLACEMENT.filter(([, ipVar]) => ips(v, ipVar).length > 0).map(([s]) => s);

export interface PolicySpec {
  name: string;
  rules: string;
}

/** Catalog and DNS reads: every agent's default token (what a caller without a token gets). */
export const READ_POLICY: PolicySpec = {
  name: 'bk-read',
  rules: 'node_prefix "" { policy = "read" }\nservice_prefix "" { policy = "read" }\n',
};

/** An agent: its own node (registration, reload), operator reads for status, catalog reads. */
export const agentPolicy = (ip: string): PolicySpec => ({
  name: `bk-agent-${nodeName(ip)}`,
  rules: `node "${nodeName(ip)}" { policy = "write" }
agent "${nodeName(ip)}" { policy = "write" }
operator = "read"
node_prefix "" { policy = "read" }
service_prefix "" { policy = "read" }
`,
});

/** One service name, written only by the hosts that run it. */
export const servicePolicy = (service: string): PolicySpec => ({
  name: `bk-service-${service}`,
  rules: `service "${service}" { policy = "write" }\n`,
});

/** Token names (see tokens.ts) a deploy of `hosts` needs. */
export const tokenNames = (v: Vars, hosts: readonly string[]): string[] => [
  'management',
  'default',
  ...hosts.map((ip) => `agent:${ip}`),
  ...allServices(v).map((s) => `service:${s}`),
];
