import { describe, expect, it } from 'vitest';
import { LocalTransport } from '../../transport/local';
import { parseMacs, readLicenseHosts } from './macs';

describe('license host MACs', () => {
  it.each([
    ['physical 52:54:00:AA:BB:CC\nvirtual 02:42:ac:11:00:02\n', ['52:54:00:aa:bb:cc']],
    [
      'virtual 02:42:ac:11:00:02\nvirtual 00:00:00:00:00:00\nvirtual 02:42:AC:11:00:03',
      ['02:42:ac:11:00:02', '02:42:ac:11:00:03'],
    ],
    ['physical 52:54:00:aa:bb:cc\nphysical 52:54:00:aa:bb:cc\n', ['52:54:00:aa:bb:cc']],
    ['physical \nvirtual junk\n', []],
  ])('%j → %j', (text, want) => {
    expect(parseMacs(text)).toEqual(want);
  });

  it("reads this machine's interfaces over a transport", async () => {
    const [h] = await readLicenseHosts(['127.0.0.1'], async (ip) => new LocalTransport(ip));
    expect(h!.ip).toBe('127.0.0.1');
    expect(h!.macs.length).toBeGreaterThan(0);
    for (const m of h!.macs) expect(m).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
  });
});
