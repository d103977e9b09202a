// Days left of the platform certificate, read from the certificate file the license section of
// open_paas.json names (the same file appengine presents to the license service before a deploy).
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

export type CertificateDays =
  | { ok: true; validTo: Date; daysLeft: number; expired: boolean }
  | { ok: false; error: string };

/** Below this many days the developer center warns. */
export const WARN_DAYS = 30;

/** `license.certPath` of the config file, or undefined when the platform runs without a license section. */
export function licenseCertPath(configFile: string): string | undefined {
  const raw = (JSON.parse(readFileSync(configFile, 'utf8')) as { license?: { certPath?: unknown } | null })
    .license;
  return typeof raw?.certPath === 'string' && raw.certPath ? raw.certPath : undefined;
}

/** Whole days from `now` to the certificate's end (as `bkcec license show` counts; negative once expired); never throws. */
export function certificateDays(certPath: string, now = new Date()): CertificateDays {
  try {
    const validTo = new Date(new X509Certificate(readFileSync(certPath)).validTo);
    const ms = validTo.getTime() - now.getTime();
    return { ok: true, validTo, daysLeft: Math.trunc(ms / 86_400_000), expired: ms < 0 };
  } catch (e) {
    return { ok: false, error: `${certPath}: ${(e as Error).message}` };
  }
}
