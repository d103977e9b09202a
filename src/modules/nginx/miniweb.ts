// The /download/ miniweb: the package directory's miniweb/ (the `functions` library and readiness.sh)
// synced to every nginx host, plus platform.env, the public facts readiness.sh checks a new host against.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { HostContext, Step, SyncSpec } from '../../engine/types';
import { DISK_FAIL_KB } from '../check/limits';

type Vars = Readonly<Record<string, string>>;

/** Consul's LAN gossip port (fixed in the agent config): a joining host must reach it on every server. */
const SERF_LAN_PORT = '8301';

/** Where sync puts the package's miniweb/ (nginx serves it at /download/). */
export const downloadDir = (v: Vars) => `${v.INSTALL_PATH}/miniweb/download`;

/** The miniweb/ folder for sync, when the package has one. */
export function miniwebSync(h: HostContext): SyncSpec[] {
  return existsSync(join(h.run.pkgDir, 'miniweb')) ? [{ local: 'miniweb', remote: downloadDir(h.vars) }] : [];
}

/** platform.env text: no secret, only what a joining host must reach or have free. */
export function platformEnv(v: Vars): string {
  const https = v.HTTP_SCHEMA === 'https';
  const lines = {
    BK_PAAS_FQDN: v.PAAS_FQDN,
    BK_PAAS_HTTP_PORT: https ? v.PAAS_HTTPS_PORT : v.PAAS_HTTP_PORT,
    BK_HAS_DNS_SERVER: v.HAS_DNS_SERVER ?? '0',
    BK_CONSUL_SERVERS: v.CONSUL_IP ?? '',
    BK_CONSUL_SERF_LAN_PORT: SERF_LAN_PORT,
    BK_AGENT_PORTS: [SERF_LAN_PORT, v.CONSUL_HTTP_PORT, v.CONSUL_DNS_PORT].filter(Boolean).join(' '),
    BK_INSTALL_PATH: v.INSTALL_PATH,
    BK_MIN_FREE_MB: String(DISK_FAIL_KB / 1024),
  };
  return `${Object.entries(lines)
    .map(([k, val]) => `${k}=${val ?? ''}`)
    .join('\n')}\n`;
}

/** Writes platform.env next to the synced folder (sync replaces that folder's whole content). */
export const platformEnvStep = (v: Vars): Step => ({
  id: 'miniweb',
  title: `miniweb facts in ${v.INSTALL_PATH}/miniweb/platform.env`,
  files: [{ path: `${v.INSTALL_PATH}/miniweb/platform.env`, content: platformEnv(v), mode: 0o644 }],
});
