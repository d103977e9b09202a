// Who may do what in Consul (ACLs on, default deny): each agent writes its own node; each service
// token writes exactly one service name; the default token (anonymous local callers, DNS) only reads.
import type { Placement } from '../../../engine/types';
import { nodeName } from '../config';

/** The consul service each module registers, and the module (and project) that places it. */
export const SERVICE_PLACEMENT: readonly (readonly [service: string, module: string, project?: string])[] = [
  ['license', 'license'],
  ['mysql', 'mysql'],
  ['redis', 'redis'],
  ['nginx', 'nginx'],
  ['paas', 'paas', 'paas'],
  ['appo', 'appo'],
  ['appt', 'appt'],
];

const hostsOfService = (p: Placement, [, module, project]: (typeof SERVICE_PLACEMENT)[number]) =>
  p.hostsOf(module, project);

/** The services install.config places on the host `ip` (each gets its own token there). */
export const servicesOf = (p: Placement, ip: string): string[] =>
  SERVICE_PLACEMENT.filter((s) => hostsOfService(p, s).includes(ip)).map(([s]) => s);

/** Every service some host of install.config registers. */
export const allServices = (p: Placement): string[] =>
  SERVICE_PLACEMENT.filter((s) => hostsOfService(p, s).length > 0).map(([s]) => s);

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
export const tokenNames = (p: Placement, hosts: readonly string[]): string[] => [
  'management',
  'default',
  ...hosts.map((ip) => `agent:${ip}`),
  ...allServices(p).map((s) => `service:${s}`),
];
