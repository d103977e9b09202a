// Which license hosts a platform certificate covers.
import type { LicenseHost } from './files';

/** A host and whether one of its MACs is bound in the certificate. */
export interface HostCoverage {
  ip: string;
  macs: string[];
  covered: boolean;
}

/** Coverage of each host by the certificate's bound MACs (a host is covered when any of its MACs is). */
export function coverage(certMacs: readonly string[], hosts: readonly LicenseHost[]): HostCoverage[] {
  return hosts.map((h) => ({ ip: h.ip, macs: h.macs, covered: h.macs.some((m) => certMacs.includes(m)) }));
}

/** A problem line per host that is not covered; empty when all are. */
export function uncoveredProblems(certMacs: readonly string[], hosts: readonly LicenseHost[]): string[] {
  const bound = certMacs.length ? certMacs.join(' ') : 'none';
  return coverage(certMacs, hosts)
    .filter((c) => !c.covered)
    .map(
      (c) =>
        `platform.cert binds MACs ${bound}; expected one of host ${c.ip}'s MACs (${c.macs.join(' ') || 'none known'})`,
    );
}
