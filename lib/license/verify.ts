// The check behind POST /certificate: signature by the platform CA, validity dates, MAC binding.
import { X509Certificate } from 'node:crypto';
import { RESULT, type ResultCode } from './codes';
import { macsInCert } from './mac';

/** What a check found; `detail` says what was expected and what was found. */
export interface CheckOutcome {
  result: ResultCode;
  detail: string;
  validFrom?: Date;
  validTo?: Date;
  macs: string[];
}

/** Parses PEM certificate text; returns an error text instead of throwing. */
export function parseCertificate(pem: string): X509Certificate | string {
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    return 'expected PEM text starting with -----BEGIN CERTIFICATE-----, found none';
  }
  try {
    return new X509Certificate(pem);
  } catch (err) {
    return `certificate text does not parse: ${(err as Error).message}`;
  }
}

/** Validity window of a certificate as dates. */
export function certDates(cert: X509Certificate): { validFrom: Date; validTo: Date } {
  return { validFrom: new Date(cert.validFrom), validTo: new Date(cert.validTo) };
}

/** True when `ca` signed `cert` (issuer name and signature both match). */
export function signedBy(cert: X509Certificate, ca: X509Certificate): boolean {
  return cert.checkIssued(ca) && cert.verify(ca.publicKey);
}

/** Checks platform certificate text against the CA, the clock and this host's MACs. */
export function checkPlatformCertificate(
  pem: string,
  ca: X509Certificate,
  hostMacs: readonly string[],
  now: Date = new Date(),
): CheckOutcome {
  const cert = parseCertificate(pem);
  if (typeof cert === 'string') return { result: RESULT.malformedCert, detail: cert, macs: [] };
  const { validFrom, validTo } = certDates(cert);
  const macs = macsInCert(cert);
  const base = { validFrom, validTo, macs };
  if (cert.ca || !signedBy(cert, ca)) {
    const why = cert.ca
      ? 'it is a CA certificate'
      : `issuer "${cert.issuer}" or its signature does not match`;
    return {
      ...base,
      result: RESULT.untrusted,
      detail: `expected a leaf certificate signed by "${ca.subject}", but ${why}`,
    };
  }
  if (now < validFrom) {
    return {
      ...base,
      result: RESULT.notYetValid,
      detail: `certificate is valid from ${validFrom.toISOString()}, now is ${now.toISOString()}`,
    };
  }
  if (now > validTo) {
    return {
      ...base,
      result: RESULT.expired,
      detail: `certificate expired at ${validTo.toISOString()}, now is ${now.toISOString()}`,
    };
  }
  if (!hostMacs.some((m) => macs.includes(m))) {
    const listed = macs.length ? macs.join(' ') : 'none';
    const own = hostMacs.length ? hostMacs.join(' ') : 'none readable';
    return {
      ...base,
      result: RESULT.macNotListed,
      detail: `expected one of this host's MACs (${own}) in the certificate, found ${listed}`,
    };
  }
  return { ...base, result: RESULT.ok, detail: 'valid' };
}
