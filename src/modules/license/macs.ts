// The MAC addresses of license hosts, read over each host's transport (controller side).
import pLimit from 'p-limit';
import { isUsableMac, normalizeMac } from '../../../lib/license/mac';
import type { Transport } from '../../transport/transport';
import type { LicenseHost } from './files';

/** Lists every interface except lo as `virtual|physical MAC`, one per line. */
const SCRIPT = `for d in /sys/class/net/*; do
  [ "\${d##*/}" = lo ] && continue
  case "$(readlink -f "$d")" in */virtual/*) k=virtual;; *) k=physical;; esac
  echo "$k $(cat "$d/address" 2>/dev/null)"
done`;

/**
 * The MACs to bind from `kind MAC` lines: the physical interfaces' when there are any (bridges and
 * veths come and go), else the virtual ones (containers, test hosts); normalised, sorted, unique.
 */
export function parseMacs(text: string): string[] {
  const found = { physical: new Set<string>(), virtual: new Set<string>() };
  for (const line of text.split('\n')) {
    const [kind, mac = ''] = line.trim().toLowerCase().split(/\s+/);
    if ((kind === 'physical' || kind === 'virtual') && isUsableMac(mac)) found[kind].add(normalizeMac(mac));
  }
  return [...(found.physical.size ? found.physical : found.virtual)].sort();
}

/** Reads each host's MACs; throws naming the host when one cannot be read or has none. */
export async function readLicenseHosts(
  hosts: readonly string[],
  transport: (ip: string) => Promise<Transport>,
  parallel = 16,
): Promise<LicenseHost[]> {
  const limit = pLimit(parallel);
  return Promise.all(
    hosts.map((ip) =>
      limit(async () => {
        const r = await (await transport(ip)).run(SCRIPT, { timeoutMs: 30_000 });
        if (r.code !== 0)
          throw new Error(
            `${ip}: could not read /sys/class/net/*/address (exit ${r.code}): ${r.stderr.trim()}`,
          );
        const macs = parseMacs(r.stdout);
        if (macs.length === 0)
          throw new Error(`${ip}: expected at least one network interface with a MAC address, found none`);
        return { ip, macs };
      }),
    ),
  );
}
