// Where the license service lives on a host, and where the controller keeps its certificates.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LicenseCertPaths } from './ensure';
import { CERT_FILES as F } from './files';

type Vars = Readonly<Record<string, string>>;

/** Paths on a license host. */
export const licensePaths = (v: Vars) => ({
  home: `${v.INSTALL_PATH}/license`,
  certDir: `${v.INSTALL_PATH}/cert`,
  conf: `${v.INSTALL_PATH}/etc/license.json`,
  /** supervisord (root) writes the program's output here: root:<service user> 0750, nothing the service may write. */
  logs: `${v.INSTALL_PATH}/logs/license`,
  /** The service's own log folder, below the root-owned one. */
  serviceLogs: `${v.INSTALL_PATH}/logs/license/service`,
});

/** The controller's certificate folder. */
export const controlCertDir = (controlDir: string): string => join(controlDir, 'cert');

/** The certificate paths in the controller's folder as they are now (no certificate is made). */
export function controlCertPaths(controlDir: string): LicenseCertPaths {
  const p = (n: string) => join(controlCertDir(controlDir), n);
  return {
    caCert: p(F.caCert),
    serverCaCert: existsSync(p(F.localCaCert)) ? p(F.localCaCert) : p(F.caCert),
    serverCert: p(F.serverCert),
    serverKey: p(F.serverKey),
    platformCert: p(F.platformCert),
    platformKey: p(F.platformKey),
  };
}
