// Strict dotted-quad IPv4 checks for install.config host addresses.

/** Why `s` is not a usable host IPv4 address (a message "expected X, found Y"), or undefined when it is. */
export function ipv4Problem(s: string): string | undefined {
  const parts = s.split('.');
  if (!/^[0-9.]+$/.test(s) || parts.length !== 4 || parts.some((p) => p === '')) {
    return `expected an IPv4 address like 10.0.0.1, found '${s}'`;
  }
  for (const p of parts) {
    if (p.length > 1 && p.startsWith('0'))
      return `expected an IPv4 address without leading zeros, found '${s}'`;
    if (Number(p) > 255) return `expected every part of an IPv4 address to be 0-255, found ${p} in '${s}'`;
  }
  const first = Number(parts[0]);
  if (first === 0 || first >= 224) {
    return `expected a host address, found '${s}' (a this-network, multicast or reserved address)`;
  }
  return undefined;
}

/** True for 127.0.0.0/8. */
export function isLoopback(ip: string): boolean {
  return ip.startsWith('127.');
}
