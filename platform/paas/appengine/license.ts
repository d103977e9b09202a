import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type LicenseSection, LicenseSectionSchema } from '../../../lib/config/open-paas';
import { createLicenseClient, type LicenseClient } from '../../../lib/license/client';

/** Says why deploys are refused, or null when the license is valid. */
export type LicenseGate = () => Promise<string | null>;

/**
 * The optional `license` section of the shared config file (`{url, caPath, certPath, keyPath}`),
 * whose schema the shared config schema holds; undefined when the platform runs without a license.
 */
export function licenseSection(configFile: string): LicenseSection | undefined {
  const raw = (JSON.parse(readFileSync(configFile, 'utf8')) as { license?: unknown }).license;
  if (raw === undefined || raw === null) return undefined;
  const r = LicenseSectionSchema.safeParse(raw);
  if (!r.success) {
    const why = r.error.issues.map((i) => `license.${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid config ${configFile}: ${why}`);
  }
  return r.data;
}

/** Why the platform certificate at `certPath` cannot be valid now (the service refuses such a client at TLS already). */
function datesProblem(certPath: string): string | null {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(readFileSync(certPath));
  } catch (e) {
    return `license certificate ${certPath} unreadable: ${(e as Error).message}`;
  }
  const now = Date.now();
  if (Date.parse(cert.validTo) < now) return `license certificate expired on ${cert.validTo}`;
  if (Date.parse(cert.validFrom) > now) return `license certificate not valid before ${cert.validFrom}`;
  return null;
}

/** A gate asking the license service (valid answers are cached by the client); `certPath` is checked locally first. */
export function licenseGate(client: LicenseClient, certPath?: string): LicenseGate {
  return async () => {
    const local = certPath ? datesProblem(certPath) : null;
    if (local) return local;
    try {
      const a = await client.check();
      return a.result === 0 ? null : `license invalid (result ${a.result}): ${a.message}`;
    } catch (e) {
      return `license service unreachable: ${(e as Error).message}`;
    }
  };
}

/** The gate for a config section, or undefined without one. */
export function gateFromSection(s: LicenseSection | undefined): LicenseGate | undefined {
  return s ? licenseGate(createLicenseClient({ ...s, platform: 'open_paas' }), s.certPath) : undefined;
}
