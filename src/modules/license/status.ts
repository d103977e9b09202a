// Status of a running license service, asked with the platform certificate (used by `bkcec status license`).
import { createLicenseClient } from '../../../lib/license/client';

/** What the service said about the platform certificate; `result` is null when it could not be reached. */
export interface LicenseStatus {
  valid: boolean;
  result: number | null;
  message: string;
  validEnd: Date | null;
  daysLeft: number | null;
}

/** Makes a real `POST /certificate` call to `url` with the platform pair; never throws for a dead service. */
export async function licenseStatus(
  url: string,
  caPath: string,
  certPath: string,
  keyPath: string,
): Promise<LicenseStatus> {
  const client = createLicenseClient({ url, caPath, certPath, keyPath, ttlMs: 0 });
  try {
    const a = await client.check();
    const validEnd = a.validendtime ? new Date(`${a.validendtime.replace(' ', 'T')}Z`) : null;
    const daysLeft = validEnd ? Math.trunc((validEnd.getTime() - Date.now()) / 86_400_000) : null;
    return { valid: a.result === 0, result: a.result, message: a.message, validEnd, daysLeft };
  } catch (err) {
    return { valid: false, result: null, message: (err as Error).message, validEnd: null, daysLeft: null };
  }
}
