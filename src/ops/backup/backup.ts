// `bkcec backup`: one archive with a consistent dump of the platform and app databases (S-mart
// packages live in open_paas), the control directory's secrets and certificates, and a manifest.
import type { ControlConfig } from '../../config';
import { hostVars } from '../../config/vars';
import { hostsOf } from '../../inventory/inventory';
import type { Transport } from '../../transport/transport';
import { pack, stage, withScratch } from './archive';
import { controlFiles } from './control';
import { dumpScript, hostDumpPath, packagesQuery, runOk } from './host';
import { entryOf, FORMAT, type Manifest } from './manifest';

export interface BackupResult {
  archive: string;
  manifest: Manifest;
}

/** The mysql host of install.config (the first one listed). */
export function mysqlHostOf(cfg: ControlConfig): string {
  const ip = hostsOf(cfg.inventory, 'mysql')[0];
  if (!ip) throw new Error(`${cfg.dir}/install.config: expected a host running mysql, found none`);
  return ip;
}

/** Dumps, packs and writes `out` (0600); nothing is left on the mysql host. */
export async function runBackup(
  cfg: ControlConfig,
  open: (ip: string) => Promise<Transport>,
  out: string,
): Promise<BackupResult> {
  const ip = mysqlHostOf(cfg);
  const v = hostVars(cfg, ip);
  const t = await open(ip);
  const dumpFile = hostDumpPath(v, 'backup');
  let dump: Buffer;
  let databases: string[];
  try {
    databases = (await runOk(t, 'mariadb-dump', dumpScript(v))).split(/\s+/).filter(Boolean);
    dump = await t.get(dumpFile);
  } finally {
    await t.run(`rm -f ${dumpFile}`);
  }
  const packages = (await runOk(t, 'listing S-mart packages', packagesQuery(v)))
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [app_code = '', version = '', md5 = ''] = l.split('\t');
      return { app_code, version, md5 };
    });
  const files = new Map<string, Buffer>([['db/databases.sql', dump], ...(await controlFiles(cfg.dir))]);
  const manifest: Manifest = {
    format: FORMAT,
    created: new Date().toISOString(),
    source: { fqdn: String(cfg.globals.get('PAAS_FQDN') ?? ''), mysqlHost: ip },
    databases,
    packages,
    files: [...files].map(([p, d]) => entryOf(p, d)),
  };
  await withScratch(async (dir) => {
    await stage(dir, files);
    await pack(dir, out, manifest);
  });
  return { archive: out, manifest };
}
