import { networkInterfaces } from 'node:os';

/** MAC of the first non-internal interface (sorted by name), as the original agent reported it. */
export function firstMac(): string {
  const nics = networkInterfaces();
  for (const name of Object.keys(nics).sort()) {
    const hit = nics[name]?.find((a) => !a.internal && a.mac && a.mac !== '00:00:00:00:00:00');
    if (hit) return hit.mac;
  }
  return '';
}
