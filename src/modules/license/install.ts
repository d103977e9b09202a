// `install license`: certificates made on the controller (bound to the hosts' MACs), then shipped
// with the config, the supervisor program and the consul service.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { LicenseConfigInput } from '../../../lib/config/license';
import type { FileSpec, HostContext, RunContext, Step } from '../../engine/types';
import { needVars, portVar } from '../common/config-vars';
import {
  rootLogDirScript,
  secretFilesScript,
  serviceLogDirScript,
  serviceUser,
  serviceUserSteps,
} from '../common/service-user';
import { programsStep } from '../common/supervisor';
import { consulServiceStep } from '../consul/service';
import { nodeBin, runtimeStep } from '../paas/runtime';
import { ensureLicenseCerts, type LicenseCertResult } from './ensure';
import { CERT_FILES } from './files';
import { readLicenseHosts } from './macs';
import { controlCertDir, licensePaths } from './paths';

type Vars = Readonly<Record<string, string>>;

/**
 * Controller side: read the license hosts' MACs and make (or check) the certificates in
 * `<control dir>/cert/`; with LICENSE_BUNDLE_DIR in globals.env the operator's bundle is checked and used.
 */
export async function prepareCerts(ctx: RunContext, hosts: readonly string[]): Promise<LicenseCertResult> {
  // Every license host is bound, not only those of this run (--limit must not shrink the certificate).
  const listed = ctx.hostsOf('license');
  const all = listed.length ? listed : [...hosts];
  const licenseHosts = await readLicenseHosts(all, (ip) => ctx.transport(ip));
  const result = await ensureLicenseCerts({
    dir: controlCertDir(ctx.controlDir),
    hosts: licenseHosts,
    bundleDir: ctx.varsOf(hosts[0]!).LICENSE_BUNDLE_DIR || undefined,
  });
  if (result.changed.length) ctx.log(`license: certificates written: ${result.changed.join(', ')}`);
  return result;
}

/** The certificate files a license host gets (keys 0600, the server's 0640 for the service user; the CA key never leaves the controller). */
async function certFiles(v: Vars, certs: LicenseCertResult): Promise<FileSpec[]> {
  const dir = licensePaths(v).certDir;
  const p = certs.paths;
  const list: [string, number][] = [
    [p.caCert, 0o644],
    [p.serverCert, 0o644],
    [p.serverKey, 0o640],
    [p.platformCert, 0o644],
    [p.platformKey, 0o600],
  ];
  if (p.serverCaCert !== p.caCert) list.push([p.serverCaCert, 0o644]);
  return Promise.all(
    list.map(async ([path, mode]) => ({
      path: `${dir}/${basename(path)}`,
      content: await readFile(path),
      mode,
    })),
  );
}

/** The service's license.json for this host. */
export function licenseConfig(v: Vars): LicenseConfigInput {
  const s = needVars(v, 'license.json', ['LAN_IP', 'CERT_PATH']);
  return {
    listen: s.LAN_IP,
    port: portVar(v, 'LICENSE_PORT'),
    serverCert: `${s.CERT_PATH}/${CERT_FILES.serverCert}`,
    serverKey: `${s.CERT_PATH}/${CERT_FILES.serverKey}`,
    caCert: `${s.CERT_PATH}/${CERT_FILES.caCert}`,
    logFile: `${licensePaths(v).serviceLogs}/license.log`,
  };
}

/** The written license.json. */
export function configStep(v: Vars): Step {
  const p = licensePaths(v);
  return {
    id: 'config',
    title: `render ${p.conf}`,
    files: [{ path: p.conf, content: `${JSON.stringify(licenseConfig(v), null, 2)}\n`, mode: 0o644 }],
    notify: 'license',
    script: `${rootLogDirScript(v, p.logs)}\n${serviceLogDirScript(v, p.serviceLogs)}`,
  };
}

/** The steps of `install license` on one host. */
export async function installSteps(h: HostContext, certs?: LicenseCertResult): Promise<Step[]> {
  const v = h.vars;
  const p = licensePaths(v);
  const certStep: Step = certs
    ? {
        id: 'certificates',
        title: `certificates in ${p.certDir}`,
        files: await certFiles(v, certs),
        notify: 'license',
        script: `chmod 0755 ${p.certDir}\n${secretFilesScript(v, [`${p.certDir}/${basename(certs.paths.serverKey)}`])}`,
      }
    : { id: 'certificates', title: `certificates in ${p.certDir}`, dynamic: true };
  const command = `${nodeBin(v)} ${p.home}/main.mjs --config ${p.conf}`;
  return [
    ...serviceUserSteps(v),
    runtimeStep(v),
    {
      id: 'program',
      title: 'license program in place',
      always: true,
      script: `[ -f ${p.home}/main.mjs ] || { echo "expected ${p.home}/main.mjs (bkcec sync license ships it), found nothing" >&2; exit 1; }`,
    },
    certStep,
    await configStep(v),
    programsStep(v, 'license', [
      { name: 'server', command, directory: p.home, user: serviceUser(v), stopwaitsecs: 10 },
    ]),
    consulServiceStep(v, { name: 'license', port: Number(v.LICENSE_PORT), check: { tcp: true } }),
  ];
}
