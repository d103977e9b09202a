// `bkcec license show`: the platform certificate's issuer, dates, bound MACs, and which license
// hosts it covers (their MACs read live over the transport).
import { hostsOf } from '../../inventory/inventory';
import { readLicenseHosts } from '../../modules/license/macs';
import { controlCertDir } from '../../modules/license/paths';
import { formatLicenseShow, licenseShow } from '../../modules/license/show';
import type { GlobalOptions } from '../options';
import { type Deps, openSession } from '../session';

/** Prints the report; 0 when the certificate is valid and covers every license host, else 1. */
export async function runLicenseShow(o: GlobalOptions, deps: Deps): Promise<number> {
  const s = await openSession(o, deps, { readOnly: true });
  try {
    const { openTransport: open, parallel } = s.engineOptions;
    const hosts = await readLicenseHosts(hostsOf(s.cfg.inventory, 'license'), open, parallel);
    const show = await licenseShow(controlCertDir(s.cfg.dir), hosts);
    const out = deps.stdout ?? process.stdout;
    out.write(o.json ? `${JSON.stringify(show)}\n` : formatLicenseShow(show));
    return !show.expired && show.hosts.every((h) => h.covered) ? 0 : 1;
  } finally {
    await s.close();
  }
}
