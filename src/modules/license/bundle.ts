// An operator-supplied certificate bundle: checked (chain, dates, key/cert match, MACs), then copied in.
import type { X509Certificate } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { macsInCert } from '../../../lib/license/mac';
import { certDates, parseCertificate, signedBy } from '../../../lib/license/verify';
import { uncoveredProblems } from './coverage';
import { CERT_FILES as F, keyMatches, type LicenseHost, readPair, writeIfChanged } from './files';

function datesProblem(name: string, cert: X509Certificate, now: Date): string[] {
  const { validFrom, validTo } = certDates(cert);
  if (now < validFrom)
    return [`${name} is not valid before ${validFrom.toISOString()} (now ${now.toISOString()})`];
  if (now > validTo) return [`${name} expired at ${validTo.toISOString()} (now ${now.toISOString()})`];
  return [];
}

async function readCa(dir: string): Promise<X509Certificate | string> {
  let pem: string;
  try {
    pem = await readFile(join(dir, F.caCert), 'utf8');
  } catch {
    return `expected ${F.caCert} in ${dir}, found none`;
  }
  const ca = parseCertificate(pem);
  if (typeof ca === 'string') return `${F.caCert}: ${ca}`;
  return ca.ca ? ca : `${F.caCert} is not a CA certificate (basicConstraints CA:TRUE missing)`;
}

/** Checks one certificate + key pair in `dir` against `ca`; `present` false when both files are absent. */
async function checkPair(dir: string, certName: string, keyName: string, ca: X509Certificate, now: Date) {
  const pair = await readPair(dir, certName, keyName);
  if (!pair)
    return {
      pair,
      problems: [`expected ${certName} and ${keyName} (PEM) in ${dir}, found them missing or unreadable`],
    };
  const problems = datesProblem(certName, pair.cert, now);
  if (!signedBy(pair.cert, ca))
    problems.push(
      `${certName} is not signed by ${F.caCert} ("${ca.subject}"), its issuer is "${pair.cert.issuer}"`,
    );
  if (!keyMatches(pair.cert, pair.keyPem)) problems.push(`${keyName} is not the private key of ${certName}`);
  return { pair, problems };
}

/** Problems with the CA and platform pair in `dir` for these license hosts; empty when usable. */
export async function checkPlatformPart(
  dir: string,
  hosts: readonly LicenseHost[],
  now: Date,
): Promise<string[]> {
  const ca = await readCa(dir);
  if (typeof ca === 'string') return [ca];
  const { pair, problems } = await checkPair(dir, F.platformCert, F.platformKey, ca, now);
  if (pair) problems.push(...uncoveredProblems(macsInCert(pair.cert), hosts));
  return [...datesProblem(F.caCert, ca, now), ...problems];
}

/** Problems with the server pair in `dir` (signed by `dir`'s ca.crt, dated, named license.service.consul). */
export async function checkServerPart(dir: string, now: Date): Promise<string[]> {
  const ca = await readCa(dir);
  if (typeof ca === 'string') return [ca];
  const { pair, problems } = await checkPair(dir, F.serverCert, F.serverKey, ca, now);
  if (pair && !(pair.cert.subjectAltName ?? '').split(', ').includes('DNS:license.service.consul')) {
    problems.push(
      `${F.serverCert} must name DNS:license.service.consul, found ${pair.cert.subjectAltName ?? 'no SAN'}`,
    );
  }
  return problems;
}

/** Throws one error listing every problem (and an optional hint), when there are any. */
export function failOn(dir: string, problems: string[], hint = ''): void {
  if (problems.length)
    throw new Error(`certificate bundle ${dir} is not usable:\n  - ${problems.join('\n  - ')}${hint}`);
}

/** True when `dir` holds a server certificate or key (a bundle may leave both out, not one). */
export async function hasServerPart(dir: string): Promise<boolean> {
  const found = await Promise.all(
    [F.serverCert, F.serverKey].map((n) =>
      readFile(join(dir, n)).then(
        () => true,
        () => false,
      ),
    ),
  );
  return found.some(Boolean);
}

/** Checks `bundleDir` and copies its files into `dir`; returns whether it carried a server pair. */
export async function importBundle(
  bundleDir: string,
  dir: string,
  hosts: readonly LicenseHost[],
  now: Date,
  changed: string[],
) {
  const withServer = await hasServerPart(bundleDir);
  failOn(bundleDir, [
    ...(await checkPlatformPart(bundleDir, hosts, now)),
    ...(withServer ? await checkServerPart(bundleDir, now) : []),
  ]);
  const files: Array<[string, 'cert' | 'key']> = [
    [F.caCert, 'cert'],
    [F.platformCert, 'cert'],
    [F.platformKey, 'key'],
  ];
  if (withServer) files.push([F.serverCert, 'cert'], [F.serverKey, 'key']);
  for (const [name, kind] of files) {
    if (await writeIfChanged(join(dir, name), await readFile(join(bundleDir, name), 'utf8'), kind))
      changed.push(name);
  }
  // A CA key left from generated mode belongs to a CA that is no longer in use.
  const stale = withServer ? [F.caKey, F.localCaCert, F.localCaKey] : [F.caKey];
  for (const name of stale) {
    if (
      await readFile(join(dir, name)).then(
        () => true,
        () => false,
      )
    ) {
      await rm(join(dir, name));
      changed.push(`${name} (removed)`);
    }
  }
  return { withServer };
}
