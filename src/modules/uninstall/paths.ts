// What each module leaves on a host, split into what uninstall removes and the data it keeps unless
// purged. The supervisor group (etc/supervisor.d/<module>.conf) and the Consul services go for every
// module; these are the module's own files.

type Vars = Readonly<Record<string, string>>;

export interface ModuleFootprint {
  /** Consul services the module registers on its hosts (consul.d/service-<name>.json). */
  services: readonly string[];
  /** Programs and configuration: removed by uninstall. */
  files: readonly string[];
  /** Data folders: kept unless --purge-data. */
  data: readonly string[];
}

const agent = (v: Vars, module: string): ModuleFootprint => {
  const p = v.INSTALL_PATH;
  // appo and appt share the agent's files: a host turned from one into the other keeps them
  const other = module === 'appo' ? 'APPT_IP' : 'APPO_IP';
  const shared = (v[other] ?? '').split(/[\s,]+/).includes(v.LAN_IP ?? '');
  return {
    services: [module],
    files: shared ? [] : [`${p}/paas_agent/bin`, `${p}/etc/paas_agent`, `${p}/tmp/paas_agent_nginx`],
    // Deployed apps and their logs.
    data: shared
      ? [`${p}/logs/${module}`]
      : [`${p}/paas_agent`, `${p}/logs/paas_agent`, `${p}/logs/${module}`],
  };
};

/** The footprint of a module on a host (undefined for a module this table does not know). */
export function footprint(module: string, v: Vars): ModuleFootprint | undefined {
  const p = v.INSTALL_PATH;
  if (!p || !p.startsWith('/') || p === '/')
    throw new Error(
      `expected INSTALL_PATH to be an absolute folder other than /, found ${JSON.stringify(p)}`,
    );
  const table: Record<string, ModuleFootprint> = {
    consul: {
      services: [],
      files: [`${p}/etc/consul.d`, `${p}/etc/consul`, `${p}/etc/consul.json.staged`, `${p}/service/consul`],
      data: [`${p}/public/consul`, `${p}/logs/consul`],
    },
    license: {
      services: ['license'],
      files: [`${p}/license`, `${p}/etc/license.json`],
      data: [`${p}/logs/license`],
    },
    mysql: {
      services: ['mysql'],
      files: [`${p}/etc/my.cnf`, `${p}/run/mysql`],
      data: [`${p}/public/mysql`, `${p}/logs/mysql`],
    },
    redis: {
      services: ['redis'],
      files: [`${p}/etc/redis.conf`],
      data: [`${p}/public/redis`, `${p}/logs/redis`],
    },
    nginx: {
      services: ['nginx'],
      files: [`${p}/etc/nginx.conf`, `${p}/etc/nginx`, `${p}/tmp/nginx`, `${p}/miniweb`],
      data: [`${p}/logs/nginx`],
    },
    paas: {
      services: ['paas'],
      files: [`${p}/open_paas`, `${p}/etc/open_paas.json`],
      data: [`${p}/logs/open_paas`, `${p}/logs/paas`],
    },
    appo: agent(v, 'appo'),
    appt: agent(v, 'appt'),
  };
  return table[module];
}
