// `bkcec license show`: the platform certificate's issuer, dates, bound MACs, and which license
// hosts it covers (their MACs read live over the transport).
import { resolve } from 'node:path';
import { hostsOf, loadControlDir } from '../../config';
import { readLicenseHosts } from '../../modules/license/macs';
import { controlCertDir } from '../../modules/license/paths';
import { formatLicenseShow, licenseShow } from '../../modules/license/show';
import { TransportPool } from '../../transport/open';
import type { GlobalOptions } from '../options';
import type { Deps } from '../session';

/** Prints the report; 0 when the certificate is valid and covers every license host, else 1. */
export async function runLicenseShow(o: GlobalOptions, deps: Deps): Promise<number> {
  const cfg = await loadControlDir(resolve(o.controlDir));
  const pool = new TransportPool(cfg.ssh, { acceptNew: o.acceptNewHostKeys });
  try {
    const open = deps.openTransport ? (h: string) => deps.openTransport!(h, cfg) : (h: string) => pool.get(h);
    const hosts = await readLicenseHosts(hostsOf(cfg.inventory, 'license'), open);
    const s = await licenseShow(controlCertDir(cfg.dir), hosts);
    const out = deps.stdout ?? process.stdout;
    out.write(o.json ? `${JSON.stringify(s)}\n` : formatLicenseShow(s));
    return !s.expired && s.hosts.every((h) => h.covered) ? 0 : 1;
  } finally {
    await pool.closeAll();
  }
}
