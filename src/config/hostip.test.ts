import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultRouteInterfaces, primaryIpv4 } from './hostip';

const TABLE = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
eth1\t00000000\t0102A8C0\t0003\t0\t0\t200\t00000000\t0\t0\t0
eth0\t0000A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
eth0\t00000000\t0100000A\t0003\t0\t0\t100\t00000000\t0\t0\t0
down0\t00000000\t0100000A\t0002\t0\t0\t1\t00000000\t0\t0\t0
`;

describe('primary IPv4', () => {
  it('orders default-route interfaces by metric and skips routes that are not up', () => {
    expect(defaultRouteInterfaces(TABLE)).toEqual(['eth0', 'eth1']);
    expect(defaultRouteInterfaces('')).toEqual([]);
  });

  it('returns an address of this machine', async () => {
    const ip = await primaryIpv4();
    const mine = Object.values(networkInterfaces()).flatMap((l) => (l ?? []).map((a) => a.address));
    expect(ip === '127.0.0.1' || mine.includes(ip)).toBe(true);
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });
});
