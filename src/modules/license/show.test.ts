import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureLicenseCerts } from './ensure';
import { formatLicenseShow, licenseShow } from './show';

describe('license show', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'bkcec-lshow-'));
    await ensureLicenseCerts({
      dir: root,
      hosts: [{ ip: '10.77.0.11', macs: ['02:42:0a:4d:00:0b'] }],
      validityDays: 100,
    });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('reports issuer, dates, bound MACs and per-host coverage', async () => {
    const hosts = [
      { ip: '10.77.0.11', macs: ['02:42:0A:4D:00:0B', '02:42:0a:4d:09:09'] },
      { ip: '10.77.0.12', macs: ['02:42:0a:4d:00:0c'] },
    ];
    const s = await licenseShow(root, hosts);
    expect(s.issuer).toContain('CN=bkcec platform CA');
    expect(s.subject).toContain('CN=bkcec platform');
    expect(s.macs).toEqual(['02:42:0a:4d:00:0b']);
    expect(s.daysLeft).toBe(99);
    expect(s.hosts.map((h) => [h.ip, h.covered])).toEqual([
      ['10.77.0.11', true],
      ['10.77.0.12', false],
    ]);
    const text = formatLicenseShow(s);
    expect(text).toContain('bound MACs:  02:42:0a:4d:00:0b');
    expect(text).toContain('host 10.77.0.12: NOT covered (MACs 02:42:0a:4d:00:0c)');
    expect(text).toMatch(/valid until: .* \(99 day\(s\) left\)/);
    const later = await licenseShow(root, [], new Date(Date.now() + 102 * 86_400_000));
    expect(formatLicenseShow(later)).toMatch(/expired 2 day\(s\) ago/);
  });

  it('says where it looked when there is no platform certificate', async () => {
    await expect(licenseShow(join(root, 'none'), [])).rejects.toThrow(
      /expected a platform certificate at .*none\/platform\.cert/,
    );
  });
});
