// This host's MAC addresses, read from the kernel's view of its network interfaces.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isUsableMac, normalizeMac } from '../../lib/license/mac';

/** MACs of every interface under `netClassDir` (normally /sys/class/net), except lo and all-zero ones. */
export async function readHostMacs(netClassDir = '/sys/class/net'): Promise<string[]> {
  const names = await readdir(netClassDir);
  const macs = new Set<string>();
  for (const name of names) {
    if (name === 'lo') continue;
    let text: string;
    try {
      text = await readFile(join(netClassDir, name, 'address'), 'utf8');
    } catch {
      continue; // the interface vanished between readdir and read, or has no address file
    }
    const raw = text.trim().toLowerCase();
    if (isUsableMac(raw)) macs.add(normalizeMac(raw));
  }
  return [...macs].sort();
}
