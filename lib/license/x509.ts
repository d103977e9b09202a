// Key and certificate generation with @peculiar/x509 on node's webcrypto.
//
// Keys are ECDSA P-256 with SHA-256 signatures: generation takes about a millisecond (RSA 2048
// takes tens to hundreds), keys and handshakes are smaller, and every party that speaks to the
// license service is our own Node code (OpenSSL 3), which supports it fully.
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

export { x509 };

const KEY_ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const;
/** Signature algorithm used for every certificate we issue. */
export const SIGN_ALG = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** A fresh extractable P-256 key pair. */
export async function newKeyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(KEY_ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
}

/** PKCS#8 PEM of a private key. */
export async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** Loads a PKCS#8 P-256 private key for signing (the CA key we made earlier). */
export async function importSigningKey(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decode(pem)[0];
  if (!der) throw new Error('expected a PEM private key, found no PEM block');
  return webcrypto.subtle.importKey('pkcs8', der, KEY_ALG, false, ['sign']);
}

/** A random positive 128-bit serial number in hex. */
export function randomSerial(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x01;
  return b.toString('hex');
}
