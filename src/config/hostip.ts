// Finds this machine's primary IPv4 (the address of the default route's interface) without a shell.
import { readFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';

/** Interfaces carrying an IPv4 default route in /proc/net/route text, lowest metric first. */
export function defaultRouteInterfaces(routeTable: string): string[] {
  return routeTable
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter(
      (c) =>
        c.length >= 8 && c[1] === '00000000' && c[7] === '00000000' && (Number.parseInt(c[3]!, 16) & 1) === 1,
    )
    .sort((a, b) => Number(a[6]) - Number(b[6]))
    .map((c) => c[0]!);
}

/** The first non-internal IPv4 of the default-route interface, else 127.0.0.1. */
export async function primaryIpv4(): Promise<string> {
  const table = await readFile('/proc/net/route', 'utf8').catch(() => '');
  const nics = networkInterfaces();
  for (const name of defaultRouteInterfaces(table)) {
    const addr = nics[name]?.find((a) => a.family === 'IPv4' && !a.internal);
    if (addr) return addr.address;
  }
  return '127.0.0.1';
}
