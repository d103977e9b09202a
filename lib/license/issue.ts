// Issuing the platform CA, the license server certificate and the MAC-bound platform certificate.
import { macSanUri } from './mac';
import { importSigningKey, newKeyPair, privateKeyPem, randomSerial, SIGN_ALG, x509 } from './x509';

/** PEM texts of a certificate and its private key. */
export interface CertPair {
  certPem: string;
  keyPem: string;
}

/** Validity window of a new certificate. */
export interface Validity {
  notBefore: Date;
  notAfter: Date;
}

const DAY = 86_400_000;
/** Certificates start one hour in the past so hosts whose clock lags still accept them. */
const BACKDATE_MS = 3_600_000;

/** Validity window of `days` days starting now (backdated by an hour). */
export function validityFor(days: number, now: Date = new Date()): Validity {
  return { notBefore: new Date(now.getTime() - BACKDATE_MS), notAfter: new Date(now.getTime() + days * DAY) };
}

/** A self-signed CA allowed to sign leaf certificates only. */
export async function issueCa(commonName: string, validity: Validity): Promise<CertPair> {
  const keys = await newKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: [{ CN: [commonName] }, { O: ['bkcec'] }],
    keys,
    signingAlgorithm: SIGN_ALG,
    ...validity,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}

/** What a leaf certificate is for, and the names it carries. */
export interface LeafSpec {
  commonName: string;
  usage: 'server' | 'client';
  san: x509.JsonGeneralNames;
  validity: Validity;
}

/** A leaf certificate signed by `ca`. */
export async function issueLeaf(ca: CertPair, spec: LeafSpec): Promise<CertPair> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const keys = await newKeyPair();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: [{ CN: [spec.commonName] }, { O: ['bkcec'] }],
    issuer: caCert.subject,
    publicKey: keys.publicKey,
    signingKey: await importSigningKey(ca.keyPem),
    signingAlgorithm: SIGN_ALG,
    ...spec.validity,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([
        spec.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
      ]),
      new x509.SubjectAlternativeNameExtension(spec.san),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}

/** Names the license server answers to: its hosts' IPs, the Consul name, and loopback. */
export function serverSan(ips: readonly string[]): x509.JsonGeneralNames {
  const names: x509.JsonGeneralNames = [
    { type: 'dns', value: 'license.service.consul' },
    { type: 'dns', value: 'localhost' },
    { type: 'ip', value: '127.0.0.1' },
  ];
  for (const ip of ips) if (ip !== '127.0.0.1') names.push({ type: 'ip', value: ip });
  return names;
}

/** The platform certificate's names: one `urn:bkce:mac:` URI per MAC. */
export function platformSan(macs: readonly string[]): x509.JsonGeneralNames {
  return macs.map((m) => ({ type: 'url' as const, value: macSanUri(m) }));
}
