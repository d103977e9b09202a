// What a host gets of the ACL tokens: consul.d/acl.json (ACLs on, default deny, this agent's tokens;
// root:consul 0640), a root-only token for bkcec's own consul CLI calls, and one root-only file per
// service install.config places here (service definitions take their token from it).
import type { FileSpec, Placement } from '../../../engine/types';
import { consulPaths, isServer } from '../config';
import { servicesOf } from './policies';
import type { AclToken } from './tokens';

type Vars = Readonly<Record<string, string>>;

/** Where the ACL files live on a host. */
export const aclPaths = (v: Vars) => ({
  config: `${consulPaths(v).configDir}/acl.json`,
  staged: `${v.INSTALL_PATH}/etc/consul/acl.json.staged`,
  tokenDir: `${v.INSTALL_PATH}/etc/consul/tokens`,
  /** The CLI token of bkcec's scripts: the management token on servers, the agent token elsewhere. */
  cliToken: `${v.INSTALL_PATH}/etc/consul/tokens/cli.token`,
  serviceToken: (service: string) => `${v.INSTALL_PATH}/etc/consul/tokens/service-${service}.token`,
});

const get = (tokens: ReadonlyMap<string, AclToken>, name: string): AclToken => {
  const t = tokens.get(name);
  if (!t) throw new Error(`expected a Consul ACL token named ${name} in .consul_tokens, found none`);
  return t;
};

/** acl.json: the agent token (its node), the default token (reads, DNS), management on servers. */
export function aclConfigJson(v: Vars, pl: Placement, tokens: ReadonlyMap<string, AclToken>): string {
  const server = isServer(pl, v.LAN_IP ?? '');
  const acl = {
    enabled: true,
    default_policy: 'deny',
    // A partition keeps the last known answers instead of denying everything.
    down_policy: 'extend-cache',
    enable_token_persistence: false,
    tokens: {
      agent: get(tokens, `agent:${v.LAN_IP}`).secret,
      default: get(tokens, 'default').secret,
      ...(server ? { initial_management: get(tokens, 'management').secret } : {}),
    },
  };
  return `${JSON.stringify({ acl }, null, 2)}\n`;
}

/** The root-only token files of a host (the CLI token and its services' tokens). */
export function tokenFiles(v: Vars, pl: Placement, tokens: ReadonlyMap<string, AclToken>): FileSpec[] {
  const p = aclPaths(v);
  const cli = isServer(pl, v.LAN_IP ?? '') ? get(tokens, 'management') : get(tokens, `agent:${v.LAN_IP}`);
  return [
    { path: p.cliToken, content: `${cli.secret}\n`, mode: 0o600 },
    ...servicesOf(pl, v.LAN_IP ?? '').map((s) => ({
      path: p.serviceToken(s),
      content: `${get(tokens, `service:${s}`).secret}\n`,
      mode: 0o600,
    })),
  ];
}
