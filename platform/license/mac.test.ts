import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { issueCa } from '../../lib/license/issue';
import { macSanUri, macsInCert, normalizeMac } from '../../lib/license/mac';
import { parseCertificate } from '../../lib/license/verify';
import { platformCert, window } from '../../test/support/license';
import { readHostMacs } from './host-macs';

describe('MAC spelling and SAN binding', () => {
  it.each([
    ['AA:BB:CC:DD:EE:FF', 'aa:bb:cc:dd:ee:ff'],
    ['aa-bb-cc-dd-ee-ff', 'aa:bb:cc:dd:ee:ff'],
    ['aabbccddeeff', 'aa:bb:cc:dd:ee:ff'],
    [' 02:42:ac:11:00:02\n', '02:42:ac:11:00:02'],
  ])('normalizes %j', (input, out) => expect(normalizeMac(input)).toBe(out));

  it.each(['aa:bb:cc:dd:ee', 'aa:bb-cc:dd:ee:ff', 'gg:bb:cc:dd:ee:ff', '', 'aa:bb:cc:dd:ee:ff:00'])(
    'refuses %j',
    (input) =>
      expect(() => normalizeMac(input)).toThrow(/expected a MAC address like aa:bb:cc:dd:ee:ff, found/),
  );

  it('writes MACs as urn:bkce:mac: URIs and reads them back from a certificate', async () => {
    expect(macSanUri('AA-BB-CC-DD-EE-FF')).toBe('urn:bkce:mac:aa:bb:cc:dd:ee:ff');
    const pair = await platformCert(await issueCa('ca', window(-1, 1)), [
      '0a:00:00:00:00:02',
      '0A:00:00:00:00:01',
    ]);
    const cert = parseCertificate(pair.certPem);
    if (typeof cert === 'string') throw new Error(cert);
    expect(cert.subjectAltName).toContain('URI:urn:bkce:mac:0a:00:00:00:00:01');
    expect(macsInCert(cert)).toEqual(['0a:00:00:00:00:01', '0a:00:00:00:00:02']);
  });

  it('reads interface MACs from a net class folder, skipping lo, all-zero and odd addresses', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bkcec-net-'));
    try {
      const nic = async (name: string, addr?: string) => {
        await mkdir(join(dir, name));
        if (addr !== undefined) await writeFile(join(dir, name, 'address'), `${addr}\n`);
      };
      await nic('lo', '00:00:00:00:00:00');
      await nic('eth1', '02:42:AC:11:00:03');
      await nic('eth0', '02:42:ac:11:00:02');
      await nic('tun0', '00:00:00:00:00:00');
      await nic('ib0', '80:00:00:48:fe:80:00:00:00:00:00:00:00:00:00:00:00:00:00:01');
      await nic('bond0');
      expect(await readHostMacs(dir)).toEqual(['02:42:ac:11:00:02', '02:42:ac:11:00:03']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await expect(readHostMacs(join(dir, 'gone'))).rejects.toThrow(/ENOENT/);
  });

  it('reads this machine /sys/class/net without lo', async () => {
    const macs = await readHostMacs();
    for (const m of macs) expect(m).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
    expect(macs).not.toContain('00:00:00:00:00:00');
  });
});
