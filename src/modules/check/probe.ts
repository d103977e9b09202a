// What `bkcec check` reads from a host: one short script printing `key=value` lines.
import { shQuote } from '../../engine/script';

/** Facts of one host (raw, as the host reported them). */
export interface HostFacts {
  uid: number;
  nofileSoft: string;
  nofileHard: string;
  /** Modules in INSTALL_PATH/.installed_module. */
  installed: string[];
  /** nameserver lines of /etc/resolv.conf, in order. */
  nameservers: string[];
  /** True when an `options` line of /etc/resolv.conf has `rotate`. */
  rotate: boolean;
  /** Listening TCP and UDP sockets as `address:port` (address `*` for any). */
  tcp: string[];
  udp: string[];
  /** The folder df measured (INSTALL_PATH or its nearest existing parent) and its free KiB. */
  diskPath: string;
  diskFreeKb: number;
}

/** The probe script for a host whose install root is `installPath`. */
export function probeScript(installPath: string): string {
  const ip = shQuote(installPath);
  return `echo "uid=$(id -u)"
echo "nofile_soft=$(ulimit -Sn)"
echo "nofile_hard=$(ulimit -Hn)"
echo "installed=$(tr '\\n' ' ' < ${ip}/.installed_module 2>/dev/null || true)"
echo "nameservers=$(awk '$1 == "nameserver" {printf "%s ", $2}' /etc/resolv.conf 2>/dev/null || true)"
if grep -Eq '^[[:space:]]*options.*[[:space:]]rotate([[:space:]]|$)' /etc/resolv.conf 2>/dev/null; then echo rotate=1; else echo rotate=0; fi
ports() { ss -Hln"$1" 2>/dev/null | awk '{print $4}' | sort -u | tr '\\n' ' '; }
echo "tcp=$(ports t)"
echo "udp=$(ports u)"
d=${ip}; while [ ! -e "$d" ]; do d=$(dirname "$d"); done
echo "disk_path=$d"
echo "disk_free_kb=$(df -Pk "$d" | awk 'NR == 2 {print $4}')"`;
}

const words = (s: string | undefined): string[] => (s ?? '').split(/\s+/).filter(Boolean);

/** Parses the probe's output; throws naming the first missing key. */
export function parseFacts(stdout: string): HostFacts {
  const kv = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) kv.set(line.slice(0, eq), line.slice(eq + 1).trim());
  }
  for (const k of ['uid', 'nofile_soft', 'nofile_hard', 'rotate', 'disk_path', 'disk_free_kb']) {
    if (!kv.has(k))
      throw new Error(
        `expected the host probe to print ${k}=…, found no such line in: ${stdout.slice(0, 300)}`,
      );
  }
  return {
    uid: Number(kv.get('uid')),
    nofileSoft: kv.get('nofile_soft')!,
    nofileHard: kv.get('nofile_hard')!,
    installed: words(kv.get('installed')),
    nameservers: words(kv.get('nameservers')),
    rotate: kv.get('rotate') === '1',
    tcp: words(kv.get('tcp')),
    udp: words(kv.get('udp')),
    diskPath: kv.get('disk_path')!,
    diskFreeKb: Number(kv.get('disk_free_kb')),
  };
}
