// `bkcec license show`: what the platform certificate says and which license hosts it covers.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { macsInCert, normalizeMac } from '../../../lib/license/mac';
import { certDates, parseCertificate } from '../../../lib/license/verify';
import { coverage, type HostCoverage } from './coverage';
import { CERT_FILES, type LicenseHost } from './files';

/** Facts about the platform certificate in a certificate folder. */
export interface LicenseShow {
  subject: string;
  issuer: string;
  serial: string;
  fingerprint256: string;
  validFrom: Date;
  validTo: Date;
  /** Whole days until it expires; once expired, minus the whole days since. */
  daysLeft: number;
  expired: boolean;
  macs: string[];
  hosts: HostCoverage[];
}

/** Reads `<dir>/platform.cert` and reports its issuer, dates, bound MACs and each host's coverage. */
export async function licenseShow(
  dir: string,
  hosts: LicenseHost[],
  now: Date = new Date(),
): Promise<LicenseShow> {
  const path = join(dir, CERT_FILES.platformCert);
  const text = await readFile(path, 'utf8').catch((err: Error) => {
    throw new Error(`expected a platform certificate at ${path}, found: ${err.message}`);
  });
  const cert = parseCertificate(text);
  if (typeof cert === 'string') throw new Error(`${path}: ${cert}`);
  const { validFrom, validTo } = certDates(cert);
  const macs = macsInCert(cert);
  const normalized = hosts.map((h) => ({ ip: h.ip, macs: h.macs.map(normalizeMac) }));
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    serial: cert.serialNumber,
    fingerprint256: cert.fingerprint256,
    validFrom,
    validTo,
    daysLeft: Math.trunc((validTo.getTime() - now.getTime()) / 86_400_000),
    expired: validTo < now,
    macs,
    hosts: coverage(macs, normalized),
  };
}

/** Human-readable text of a `licenseShow` result, one fact per line. */
export function formatLicenseShow(s: LicenseShow): string {
  const lines = [
    `subject:     ${s.subject}`,
    `issuer:      ${s.issuer}`,
    `serial:      ${s.serial}`,
    `sha256:      ${s.fingerprint256}`,
    `valid from:  ${s.validFrom.toISOString()}`,
    `valid until: ${s.validTo.toISOString()} (${s.expired ? `expired ${-s.daysLeft} day(s) ago` : `${s.daysLeft} day(s) left`})`,
    `bound MACs:  ${s.macs.join(' ') || 'none'}`,
  ];
  for (const h of s.hosts) {
    lines.push(
      `host ${h.ip}: ${h.covered ? 'covered' : 'NOT covered'} (MACs ${h.macs.join(' ') || 'unknown'})`,
    );
  }
  return `${lines.join('\n')}\n`;
}
