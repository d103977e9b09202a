// The variable store: what a template on one host may reference as __NAME__.
//
// hostVars(cfg, ip) = globals.env + ports.env + these generated names (legacy spelling, upper case):
// | name                              | value                                                          |
// |-----------------------------------|----------------------------------------------------------------|
// | LAN_IP                            | the host's own IP                                              |
// | ALL_IP / ALL_IP_COMMA             | every host IP in file order, space- / comma-separated          |
// | <MOD>_IP / <MOD>_IP_COMMA         | IPs of hosts listing MOD (only for listed modules): CONSUL_IP… |
// | <MOD>_IP0 .. <MOD>_IPn            | each of those IPs, 0-based, file order (MYSQL_IP0, APPO_IP0)   |
// | <MOD>_<PROJ>_IP, _IPn, _IP_COMMA  | the same for hosts running project PROJ: PAAS_ESB_IP0 …        |
// | <MOD>_HOST                        | <mod>.service.consul for every known module (MYSQL_HOST …)     |
// | BK_HOME                           | INSTALL_PATH                                                   |
// | CERT_PATH                         | INSTALL_PATH/cert                                              |
// | BK_COOKIE_DOMAIN                  | . + BK_DOMAIN                                                  |
// | PAAS_DOMAIN                       | PAAS_FQDN, + :port unless the port is the scheme's default     |
// | PAAS_INNER_DOMAIN                 | PAAS_HOST:PAAS_HTTP_PORT (internal, through Consul)            |
// | PAAS_URL                          | HTTP_SCHEMA://PAAS_DOMAIN                                      |
// | PAAS_AGENT_PORT, APP_NGXPROXY_PORT| legacy aliases of PAASAGENT_PORT, APP_NGINX_PORT (if unset)    |
// Generated names are reserved: env files may not define them. Arrays are joined with spaces.
// BK_SSH_* settings stay on the controller and are not host variables.
import { hostsOf, type Inventory } from '../inventory/inventory';
import { MODULES, PROJECTS } from '../inventory/modules';
import type { ControlConfig } from './types';

const up = (s: string) => s.toUpperCase();
const MOD = MODULES.map(up).join('|');
const PROJ = [...new Set(Object.values(PROJECTS).flat())].map(up).join('|') || '$^';
const RESERVED = [
  /^(ALL_IP(_COMMA)?|LAN_IP|BK_HOME|CERT_PATH|BK_COOKIE_DOMAIN|PAAS_DOMAIN|PAAS_INNER_DOMAIN|PAAS_URL)$/,
  new RegExp(`^(${MOD})(_(${PROJ}))?_IP([0-9]+|_COMMA)?$`),
  new RegExp(`^(${MOD})_HOST$`),
];

/** A message when `name` is one bkcec generates (so an env file must not define it), else undefined. */
export function generatedNameProblem(name: string): string | undefined {
  return RESERVED.some((r) => r.test(name))
    ? `expected ${name} to be left to bkcec (it is generated from install.config), found a definition`
    : undefined;
}

/** Adds PREFIX_IP, PREFIX_IP_COMMA and PREFIX_IP0..n for a list of IPs. */
function addIpList(out: Record<string, string>, prefix: string, ips: string[]): void {
  out[`${prefix}_IP`] = ips.join(' ');
  out[`${prefix}_IP_COMMA`] = ips.join(',');
  ips.forEach((ip, i) => {
    out[`${prefix}_IP${i}`] = ip;
  });
}

/** The inventory-derived names that are the same on every host (no LAN_IP). */
export function inventoryVars(inv: Inventory): Record<string, string> {
  const out: Record<string, string> = {};
  out.ALL_IP = inv.hosts.map((h) => h.ip).join(' ');
  out.ALL_IP_COMMA = inv.hosts.map((h) => h.ip).join(',');
  for (const m of MODULES) {
    out[`${up(m)}_HOST`] = `${m}.service.consul`;
    const ips = hostsOf(inv, m);
    if (ips.length === 0) continue;
    addIpList(out, up(m), ips);
    for (const proj of PROJECTS[m] ?? []) addIpList(out, `${up(m)}_${up(proj)}`, hostsOf(inv, m, proj));
  }
  return out;
}

/** Every variable a template on `ip` may use. Throws when `ip` is not in install.config. */
export function hostVars(cfg: ControlConfig, ip: string): Record<string, string> {
  if (!cfg.inventory.hosts.some((h) => h.ip === ip)) {
    throw new Error(`expected a host IP listed in install.config, found ${ip}`);
  }
  const out: Record<string, string> = {};
  for (const src of [cfg.globals, cfg.ports]) {
    for (const [k, v] of src) if (!k.startsWith('BK_SSH_')) out[k] = Array.isArray(v) ? v.join(' ') : v;
  }
  Object.assign(out, inventoryVars(cfg.inventory));
  const get = (k: string) => out[k] ?? '';
  out.LAN_IP = ip;
  out.BK_HOME = get('INSTALL_PATH');
  out.CERT_PATH = `${get('INSTALL_PATH')}/cert`;
  out.BK_COOKIE_DOMAIN = `.${get('BK_DOMAIN')}`;
  const https = get('HTTP_SCHEMA') === 'https';
  const port = get(https ? 'PAAS_HTTPS_PORT' : 'PAAS_HTTP_PORT');
  out.PAAS_DOMAIN = port === (https ? '443' : '80') ? get('PAAS_FQDN') : `${get('PAAS_FQDN')}:${port}`;
  out.PAAS_INNER_DOMAIN = `${get('PAAS_HOST')}:${get('PAAS_HTTP_PORT')}`;
  out.PAAS_URL = `${get('HTTP_SCHEMA')}://${out.PAAS_DOMAIN}`;
  out.PAAS_AGENT_PORT ??= get('PAASAGENT_PORT');
  out.APP_NGXPROXY_PORT ??= get('APP_NGINX_PORT');
  return out;
}
