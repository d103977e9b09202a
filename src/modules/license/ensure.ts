// The one entry point for the controller: make (or import and check) every license certificate.
import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { platformSan, serverSan } from '../../../lib/license/issue';
import { normalizeMac } from '../../../lib/license/mac';
import { makePrivateDir } from '../../config/privdir';
import { checkPlatformPart, checkServerPart, failOn, hasServerPart, importBundle } from './bundle';
import { CERT_FILES as F, type LicenseHost } from './files';
import { ensureCa, ensureLeaf, LOCAL_CA, PLATFORM_CA } from './reuse';

/** Inputs: the certificate folder (e.g. `<ctrl>/cert`), the license hosts, and an optional bundle. */
export interface LicenseCertOptions {
  dir: string;
  hosts: LicenseHost[];
  /** Lifetime of certificates we issue, in days (default 365). */
  validityDays?: number;
  /** Operator-supplied folder with ca.crt, platform.cert, platform.key (and optionally the server pair). */
  bundleDir?: string;
  now?: Date;
}

/** Absolute paths of what the license service and its clients need. */
export interface LicenseCertPaths {
  caCert: string;
  serverCaCert: string;
  serverCert: string;
  serverKey: string;
  platformCert: string;
  platformKey: string;
}

/** `generated`: we hold the CA key; `bundle`: the operator's CA and platform certificate. */
export interface LicenseCertResult {
  mode: 'generated' | 'bundle';
  paths: LicenseCertPaths;
  /** Files written or fixed by this call; empty when nothing changed. */
  changed: string[];
}

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

/** Makes sure `dir` holds a usable CA, server pair and MAC-bound platform pair; changes only what must change. */
export async function ensureLicenseCerts(o: LicenseCertOptions): Promise<LicenseCertResult> {
  const now = o.now ?? new Date();
  const days = o.validityDays ?? 365;
  if (!Number.isInteger(days) || days < 1)
    throw new Error(`expected validityDays to be a whole number ≥ 1, found ${days}`);
  if (o.hosts.length === 0) throw new Error('expected at least one license host, found none');
  const hosts = o.hosts.map((h) => ({ ip: h.ip, macs: h.macs.map(normalizeMac) }));
  const dir = resolve(o.dir);
  makePrivateDir(dir);
  const changed: string[] = [];
  const server = {
    commonName: 'license.service.consul',
    usage: 'server' as const,
    san: serverSan(hosts.map((h) => h.ip)),
    days,
  };
  const serverNames = { cert: F.serverCert, key: F.serverKey };

  const imported =
    o.bundleDir !== undefined || ((await exists(join(dir, F.caCert))) && !(await exists(join(dir, F.caKey))));
  // Who signs the server certificate: our platform CA, the bundle's CA, or a local CA beside a bundle.
  let serverSigner: 'platform' | 'bundle' | 'local' = 'platform';
  if (o.bundleDir !== undefined) {
    serverSigner = (await importBundle(o.bundleDir, dir, hosts, now, changed)).withServer
      ? 'bundle'
      : 'local';
  } else if (imported) {
    // A bundle imported earlier: we cannot re-issue its platform certificate, only check it still fits.
    const hint =
      '\nThese certificates were imported from a bundle and cannot be re-issued here: supply a new bundle.';
    failOn(dir, await checkPlatformPart(dir, hosts, now), hint);
    const local = (await exists(join(dir, F.localCaKey))) || !(await hasServerPart(dir));
    serverSigner = local ? 'local' : 'bundle';
    if (!local) failOn(dir, await checkServerPart(dir, now));
  }
  if (serverSigner === 'local') {
    await ensureLeaf(dir, await ensureCa(dir, LOCAL_CA, now, changed), serverNames, server, now, changed);
  } else if (serverSigner === 'platform') {
    const ca = await ensureCa(dir, PLATFORM_CA, now, changed);
    await ensureLeaf(dir, ca, serverNames, server, now, changed);
    const macs = [...new Set(hosts.flatMap((h) => h.macs))].sort();
    if (macs.length === 0)
      throw new Error('expected at least one MAC address across the license hosts, found none');
    const platform = { commonName: 'bkcec platform', usage: 'client' as const, san: platformSan(macs), days };
    await ensureLeaf(dir, ca, { cert: F.platformCert, key: F.platformKey }, platform, now, changed);
  }
  const p = (name: string) => join(dir, name);
  return {
    mode: imported ? 'bundle' : 'generated',
    changed,
    paths: {
      caCert: p(F.caCert),
      serverCaCert: p(serverSigner === 'local' ? F.localCaCert : F.caCert),
      serverCert: p(F.serverCert),
      serverKey: p(F.serverKey),
      platformCert: p(F.platformCert),
      platformKey: p(F.platformKey),
    },
  };
}
