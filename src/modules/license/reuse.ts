// Deciding whether a certificate already on disk can stay, or must be issued again.
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { type CertPair, issueCa, issueLeaf, type LeafSpec, validityFor } from '../../../lib/license/issue';
import { certDates, signedBy } from '../../../lib/license/verify';
import { x509 } from '../../../lib/license/x509';
import { CERT_FILES, keyMatches, readPair, tightenKeyMode, writeCertFile, writeKeyFile } from './files';

const DAY = 86_400_000;
const CA_DAYS = 3650;

/** Comparable form of a SAN list: sorted `type:value` strings. */
function sanSet(names: x509.JsonGeneralNames): string {
  return names
    .map((n) => `${n.type}:${n.value}`.toLowerCase())
    .sort()
    .join(',');
}

function sanOf(certPem: string): string {
  const ext = new x509.X509Certificate(certPem).getExtension(x509.SubjectAlternativeNameExtension);
  return ext ? sanSet(ext.names.toJSON()) : '';
}

/** Lifetime of a certificate in whole days (our certificates are backdated by an hour). */
function lifetimeDays(cert: X509Certificate): number {
  const { validFrom, validTo } = certDates(cert);
  return Math.round((validTo.getTime() - validFrom.getTime()) / DAY);
}

/** The CA in `dir` (made when missing, unusable or expired); `changed` gets the files written. */
export async function ensureCa(
  dir: string,
  names: { cert: string; key: string; cn: string },
  now: Date,
  changed: string[],
): Promise<CertPair> {
  const have = await readPair(dir, names.cert, names.key);
  if (have?.cert.ca && keyMatches(have.cert, have.keyPem) && certDates(have.cert).validTo > now) {
    if (await tightenKeyMode(join(dir, names.key))) changed.push(`${names.key} (mode 0600)`);
    return { certPem: have.certPem, keyPem: have.keyPem };
  }
  const made = await issueCa(names.cn, validityFor(CA_DAYS, now));
  await writeKeyFile(join(dir, names.key), made.keyPem);
  await writeCertFile(join(dir, names.cert), made.certPem);
  changed.push(names.cert, names.key);
  return made;
}

/** A leaf in `dir` signed by `ca` with exactly `spec`'s names and lifetime; issued again otherwise. */
export async function ensureLeaf(
  dir: string,
  ca: CertPair,
  names: { cert: string; key: string },
  spec: Omit<LeafSpec, 'validity'> & { days: number },
  now: Date,
  changed: string[],
): Promise<void> {
  const have = await readPair(dir, names.cert, names.key);
  const caCert = new X509Certificate(ca.certPem);
  const usable =
    have !== null &&
    signedBy(have.cert, caCert) &&
    keyMatches(have.cert, have.keyPem) &&
    certDates(have.cert).validFrom <= now &&
    certDates(have.cert).validTo > now &&
    lifetimeDays(have.cert) === spec.days &&
    sanOf(have.certPem) === sanSet(spec.san);
  if (usable) {
    if (await tightenKeyMode(join(dir, names.key))) changed.push(`${names.key} (mode 0600)`);
    return;
  }
  const made = await issueLeaf(ca, { ...spec, validity: validityFor(spec.days, now) });
  await writeKeyFile(join(dir, names.key), made.keyPem);
  await writeCertFile(join(dir, names.cert), made.certPem);
  changed.push(names.cert, names.key);
}

/** Names of the platform CA files. */
export const PLATFORM_CA = { cert: CERT_FILES.caCert, key: CERT_FILES.caKey, cn: 'bkcec platform CA' };
/** Names of the CA that signs only the server certificate beside an imported bundle. */
export const LOCAL_CA = {
  cert: CERT_FILES.localCaCert,
  key: CERT_FILES.localCaKey,
  cn: 'bkcec license server CA',
};
