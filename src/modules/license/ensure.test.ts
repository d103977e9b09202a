import { X509Certificate } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { macsInCert } from '../../../lib/license/mac';
import { signedBy } from '../../../lib/license/verify';
import { ensureLicenseCerts } from './ensure';

const A = { ip: '10.77.0.11', macs: ['02:42:0A:4D:00:0B'] };
const B = { ip: '10.77.0.12', macs: ['02:42:0a:4d:00:0c', '02:42:0a:4d:01:0c'] };
const DAY = 86_400_000;

const cert = async (path: string) => new X509Certificate(await readFile(path));
const snapshot = async (dir: string, names: string[]) =>
  Object.fromEntries(await Promise.all(names.map(async (n) => [n, await readFile(join(dir, n), 'utf8')])));
const ALL = ['ca.crt', 'ca.key', 'license_cert.cert', 'license_prv.key', 'platform.cert', 'platform.key'];

describe('ensureLicenseCerts (generated)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'bkcec-lcert-')), 'cert');
  });
  afterEach(() => rm(join(dir, '..'), { recursive: true, force: true }));

  it('makes a CA, a server pair and a MAC-bound platform pair with root-only keys', async () => {
    const r = await ensureLicenseCerts({ dir, hosts: [A, B] });
    expect(r.mode).toBe('generated');
    expect(r.changed.sort()).toEqual([...ALL].sort());
    expect(r.paths.serverCaCert).toBe(r.paths.caCert);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    for (const k of ['ca.key', 'license_prv.key', 'platform.key'])
      expect((await stat(join(dir, k))).mode & 0o777).toBe(0o600);
    const ca = await cert(r.paths.caCert);
    const platform = await cert(r.paths.platformCert);
    const server = await cert(r.paths.serverCert);
    expect(ca.ca).toBe(true);
    expect(signedBy(platform, ca) && signedBy(server, ca)).toBe(true);
    expect(macsInCert(platform)).toEqual(['02:42:0a:4d:00:0b', '02:42:0a:4d:00:0c', '02:42:0a:4d:01:0c']);
    expect(server.subjectAltName).toBe(
      'DNS:license.service.consul, DNS:localhost, IP Address:127.0.0.1, IP Address:10.77.0.11, IP Address:10.77.0.12',
    );
    const days = (new Date(platform.validTo).getTime() - Date.now()) / DAY;
    expect(days).toBeGreaterThan(364.9);
    expect(days).toBeLessThan(365.1);
  });

  it('changes nothing on a re-run with the same inputs', async () => {
    await ensureLicenseCerts({ dir, hosts: [A, B] });
    const before = await snapshot(dir, ALL);
    const again = await ensureLicenseCerts({ dir, hosts: [B, A] });
    expect(again.changed).toEqual([]);
    expect(await snapshot(dir, ALL)).toEqual(before);
  });

  it('re-issues only the platform pair for a new MAC set, only the server pair for new IPs', async () => {
    await ensureLicenseCerts({ dir, hosts: [A] });
    const first = await snapshot(dir, ALL);
    const macs = await ensureLicenseCerts({ dir, hosts: [{ ...A, macs: ['02:42:0a:4d:00:ff'] }] });
    expect(macs.changed.sort()).toEqual(['platform.cert', 'platform.key']);
    expect(macsInCert(await cert(macs.paths.platformCert))).toEqual(['02:42:0a:4d:00:ff']);
    const second = await snapshot(dir, ALL);
    expect(second['license_cert.cert']).toBe(first['license_cert.cert']);
    expect(second['ca.key']).toBe(first['ca.key']);
    const ips = await ensureLicenseCerts({ dir, hosts: [{ ip: '10.77.0.99', macs: ['02:42:0a:4d:00:ff'] }] });
    expect(ips.changed.sort()).toEqual(['license_cert.cert', 'license_prv.key']);
  });

  it('honours a configured validity and re-issues when it changes', async () => {
    const r = await ensureLicenseCerts({ dir, hosts: [A], validityDays: 30 });
    const days = (new Date((await cert(r.paths.platformCert)).validTo).getTime() - Date.now()) / DAY;
    expect(Math.round(days)).toBe(30);
    expect((await ensureLicenseCerts({ dir, hosts: [A], validityDays: 30 })).changed).toEqual([]);
    expect((await ensureLicenseCerts({ dir, hosts: [A], validityDays: 90 })).changed).toContain(
      'platform.cert',
    );
    await expect(ensureLicenseCerts({ dir, hosts: [A], validityDays: 0 })).rejects.toThrow(
      /validityDays .* found 0/,
    );
  });

  it('re-issues an expired platform certificate and fixes loose key modes', async () => {
    await ensureLicenseCerts({ dir, hosts: [A], validityDays: 10 });
    const later = new Date(Date.now() + 11 * DAY);
    const r = await ensureLicenseCerts({ dir, hosts: [A], validityDays: 10, now: later });
    expect(r.changed.sort()).toEqual([
      'license_cert.cert',
      'license_prv.key',
      'platform.cert',
      'platform.key',
    ]);
    await chmod(join(dir, 'ca.key'), 0o644);
    const fixed = await ensureLicenseCerts({ dir, hosts: [A], validityDays: 10, now: later });
    expect(fixed.changed).toEqual(['ca.key (mode 0600)']);
    expect((await stat(join(dir, 'ca.key'))).mode & 0o777).toBe(0o600);
  });

  it('refuses bad inputs with what was expected', async () => {
    await expect(ensureLicenseCerts({ dir, hosts: [] })).rejects.toThrow(/at least one license host/);
    await expect(ensureLicenseCerts({ dir, hosts: [{ ip: A.ip, macs: [] }] })).rejects.toThrow(
      /at least one MAC/,
    );
    await expect(ensureLicenseCerts({ dir, hosts: [{ ip: A.ip, macs: ['zz'] }] })).rejects.toThrow(
      /expected a MAC address/,
    );
  });
});
