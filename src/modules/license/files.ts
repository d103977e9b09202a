// The certificate folder: file names, reading pairs back, writing with the right modes.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmod, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** File names in the certificate folder (the server pair keeps the legacy bundle's names). */
export const CERT_FILES = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  serverCert: 'license_cert.cert',
  serverKey: 'license_prv.key',
  platformCert: 'platform.cert',
  platformKey: 'platform.key',
  /** CA we make for the server certificate when an imported bundle has no server pair. */
  localCaCert: 'local-ca.crt',
  localCaKey: 'local-ca.key',
} as const;

/** A host that runs the license module: its IP (server SAN) and the MACs to bind (platform SAN). */
export interface LicenseHost {
  ip: string;
  macs: string[];
}

/** A certificate read back from disk, with its key text. */
export interface LoadedPair {
  cert: X509Certificate;
  certPem: string;
  keyPem: string;
}

async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** The pair in `dir`, or null when either file is missing or the certificate does not parse. */
export async function readPair(dir: string, certName: string, keyName: string): Promise<LoadedPair | null> {
  const [certPem, keyPem] = await Promise.all([
    readOptional(join(dir, certName)),
    readOptional(join(dir, keyName)),
  ]);
  if (certPem === null || keyPem === null) return null;
  try {
    return { cert: new X509Certificate(certPem), certPem, keyPem };
  } catch {
    return null;
  }
}

/** True when `keyPem` is the private key of `cert`. */
export function keyMatches(cert: X509Certificate, keyPem: string): boolean {
  try {
    return cert.checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

async function writeAtomic(path: string, text: string, mode: number): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, text, { mode });
  await chmod(tmp, mode);
  await rename(tmp, path);
}

/** Writes a certificate (world-readable: it is public). */
export function writeCertFile(path: string, pem: string): Promise<void> {
  return writeAtomic(path, pem, 0o644);
}

/** Writes a private key readable by its owner only. */
export function writeKeyFile(path: string, pem: string): Promise<void> {
  return writeAtomic(path, pem, 0o600);
}

/** Makes an existing key file 0600; true when its mode had to change. */
export async function tightenKeyMode(path: string): Promise<boolean> {
  const mode = (await stat(path)).mode & 0o777;
  if (mode === 0o600) return false;
  await chmod(path, 0o600);
  return true;
}

/** Writes `text` unless the file already holds it; true when written. */
export async function writeIfChanged(path: string, text: string, kind: 'cert' | 'key'): Promise<boolean> {
  if ((await readOptional(path)) === text) return false;
  await (kind === 'key' ? writeKeyFile(path, text) : writeCertFile(path, text));
  return true;
}
