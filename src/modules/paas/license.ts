// appengine's license check: the platform certificate, its key and the CA of the license server,
// shipped from the controller's cert/ folder, and the `license` section of the shared config.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { LicenseSection } from '../../../lib/config/open-paas';
import type { HostContext, Step } from '../../engine/types';
import { secretFilesScript } from '../common/service-user';
import { restartUnits } from '../common/supervisor';
import { controlCertPaths } from '../license/paths';
import { type PaasHost, projectsHere } from './paths';

type Vars = Readonly<Record<string, string>>;

/** appengine asks the license service when install.config has one and this host runs appengine. */
const checksLicense = (h: PaasHost): boolean =>
  h.run.hostsOf('license').length > 0 && projectsHere(h).includes('appengine');

/** Where the platform pair and the server's CA live on a paas host. */
export const paasCertPaths = (v: Vars) => {
  const dir = `${v.INSTALL_PATH}/cert/paas`;
  return { dir, ca: `${dir}/license-ca.crt`, cert: `${dir}/platform.cert`, key: `${dir}/platform.key` };
};

/** The config's `license` section, or `null` (appengine then runs without a license check). */
export function licenseSection(h: PaasHost): LicenseSection | null {
  const v = h.vars;
  if (!checksLicense(h)) return null;
  const p = paasCertPaths(v);
  return {
    url: `https://${v.LICENSE_HOST}:${v.LICENSE_PORT}`,
    caPath: p.ca,
    certPath: p.cert,
    keyPath: p.key,
  };
}

/** Ships the three files appengine's license client reads (the key 0640 root:service user); none without a license. */
export async function licenseCertSteps(h: HostContext): Promise<Step[]> {
  const v = h.vars;
  if (!checksLicense(h)) return [];
  const p = paasCertPaths(v);
  const c = controlCertPaths(h.run.controlDir);
  const title = `license client certificates in ${p.dir}`;
  const sources: [string, string, number][] = [
    [c.serverCaCert, p.ca, 0o644],
    [c.platformCert, p.cert, 0o644],
    [c.platformKey, p.key, 0o640],
  ];
  const missing = sources.map(([from]) => from).filter((f) => !existsSync(f));
  if (missing.length) {
    // A dry run (and the preflight of a first deploy) comes before install license makes them.
    if (h.run.dryRun) return [{ id: 'license-certs', title, dynamic: true }];
    throw new Error(
      `expected the license certificates (bkcec install license makes them), found missing: ${missing.join(', ')}`,
    );
  }
  return [
    {
      id: 'license-certs',
      title,
      files: await Promise.all(
        sources.map(async ([from, path, mode]) => ({ path, content: await readFile(from), mode })),
      ),
      notify: restartUnits('paas', ['appengine']),
      script: `chmod 0755 ${p.dir}\n${secretFilesScript(v, [p.key])}`,
    },
  ];
}
