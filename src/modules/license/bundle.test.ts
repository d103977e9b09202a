import { X509Certificate } from 'node:crypto';
import { access, copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueCa } from '../../../lib/license/issue';
import { signedBy } from '../../../lib/license/verify';
import { platformCert, window } from '../../../test/support/license';
import { ensureLicenseCerts } from './ensure';

const HOST = { ip: '10.77.0.11', macs: ['02:42:0a:4d:00:0b'] };
const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

describe('ensureLicenseCerts with an operator bundle', () => {
  let root: string;
  let bundle: string;
  let dir: string;

  /** A bundle made by another controller: its ca.crt and platform pair, optionally its server pair. */
  async function makeBundle(withServer: boolean) {
    const src = join(root, 'issuer');
    await ensureLicenseCerts({ dir: src, hosts: [HOST] });
    await mkdir(bundle, { recursive: true });
    const names = [
      'ca.crt',
      'platform.cert',
      'platform.key',
      ...(withServer ? ['license_cert.cert', 'license_prv.key'] : []),
    ];
    for (const n of names) await copyFile(join(src, n), join(bundle, n));
  }

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'bkcec-lbundle-'));
    bundle = join(root, 'bundle');
    dir = join(root, 'ctrl', 'cert');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('imports a good bundle without a server pair, signing the server certificate with a local CA', async () => {
    await makeBundle(false);
    const r = await ensureLicenseCerts({ dir, hosts: [HOST], bundleDir: bundle });
    expect(r.mode).toBe('bundle');
    expect(r.changed.sort()).toEqual(
      [
        'ca.crt',
        'license_cert.cert',
        'license_prv.key',
        'local-ca.crt',
        'local-ca.key',
        'platform.cert',
        'platform.key',
      ].sort(),
    );
    expect(r.paths.serverCaCert).toBe(join(dir, 'local-ca.crt'));
    expect(await readFile(r.paths.platformCert, 'utf8')).toBe(
      await readFile(join(bundle, 'platform.cert'), 'utf8'),
    );
    expect((await stat(r.paths.platformKey)).mode & 0o777).toBe(0o600);
    const server = new X509Certificate(await readFile(r.paths.serverCert));
    expect(signedBy(server, new X509Certificate(await readFile(r.paths.serverCaCert)))).toBe(true);
    expect((await ensureLicenseCerts({ dir, hosts: [HOST], bundleDir: bundle })).changed).toEqual([]);
    const again = await ensureLicenseCerts({ dir, hosts: [HOST] });
    expect(again).toMatchObject({ mode: 'bundle', changed: [] });
    expect(again.paths.serverCaCert).toBe(join(dir, 'local-ca.crt'));
  });

  it('imports a bundle with a server pair over generated certificates, dropping the old CA key', async () => {
    await ensureLicenseCerts({ dir, hosts: [HOST] });
    await makeBundle(true);
    const r = await ensureLicenseCerts({ dir, hosts: [HOST], bundleDir: bundle });
    expect(r.changed).toContain('ca.key (removed)');
    expect(r.paths.serverCaCert).toBe(r.paths.caCert);
    expect(await exists(join(dir, 'ca.key'))).toBe(false);
    expect(await readFile(r.paths.serverCert, 'utf8')).toBe(
      await readFile(join(bundle, 'license_cert.cert'), 'utf8'),
    );
    expect((await ensureLicenseCerts({ dir, hosts: [HOST] })).changed).toEqual([]);
  });

  it('refuses a bundle whose key does not match its certificate', async () => {
    await makeBundle(false);
    const stranger = await platformCert(await issueCa('x', window(-1, 10)), HOST.macs);
    await writeFile(join(bundle, 'platform.key'), stranger.keyPem);
    await expect(ensureLicenseCerts({ dir, hosts: [HOST], bundleDir: bundle })).rejects.toThrow(
      /not usable:\n {2}- platform\.key is not the private key of platform\.cert/,
    );
    expect(await exists(join(dir, 'platform.cert'))).toBe(false);
  });

  it('refuses a bundle signed by another CA, expired, or missing a license host MAC', async () => {
    await makeBundle(false);
    const other = await platformCert(await issueCa('other CA', window(-1, 10)), HOST.macs);
    await writeFile(join(bundle, 'platform.cert'), other.certPem);
    await writeFile(join(bundle, 'platform.key'), other.keyPem);
    await expect(ensureLicenseCerts({ dir, hosts: [HOST], bundleDir: bundle })).rejects.toThrow(
      /not signed by ca\.crt/,
    );

    await rm(bundle, { recursive: true });
    await makeBundle(false);
    const later = new Date(Date.now() + 400 * 86_400_000);
    await expect(ensureLicenseCerts({ dir, hosts: [HOST], bundleDir: bundle, now: later })).rejects.toThrow(
      /platform\.cert expired at/,
    );
    const moved = { ip: '10.77.0.13', macs: ['02:42:0a:4d:00:0d'] };
    await expect(ensureLicenseCerts({ dir, hosts: [HOST, moved], bundleDir: bundle })).rejects.toThrow(
      /platform\.cert binds MACs 02:42:0a:4d:00:0b; expected one of host 10\.77\.0\.13's MACs \(02:42:0a:4d:00:0d\)/,
    );
  });

  it('after an import, a new MAC set asks for a new bundle instead of re-issuing', async () => {
    await makeBundle(false);
    await ensureLicenseCerts({ dir, hosts: [HOST], bundleDir: bundle });
    await expect(
      ensureLicenseCerts({ dir, hosts: [{ ...HOST, macs: ['02:42:0a:4d:00:ee'] }] }),
    ).rejects.toThrow(/imported from a bundle and cannot be re-issued here: supply a new bundle/);
  });

  it('names missing bundle files and half a server pair', async () => {
    await mkdir(bundle, { recursive: true });
    await expect(ensureLicenseCerts({ dir, hosts: [HOST], bundleDir: bundle })).rejects.toThrow(
      /expected ca\.crt in .*bundle, found none/,
    );
    await makeBundle(false);
    await copyFile(join(root, 'issuer', 'license_cert.cert'), join(bundle, 'license_cert.cert'));
    await expect(ensureLicenseCerts({ dir, hosts: [HOST], bundleDir: bundle })).rejects.toThrow(
      /expected license_cert\.cert and license_prv\.key \(PEM\) in .*bundle, found them missing or unreadable/,
    );
  });
});
