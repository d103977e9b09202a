// /etc/resolv.conf on a Consul host: the local agent first (it answers *.consul and forwards the rest
// to its recursors), the previous nameservers kept after it, and no `rotate` (which would skip us).

/** The address the system resolver uses to reach the local agent's DNS. */
export const AGENT_DNS = '127.0.0.1';

const nameserverRe = /^\s*nameserver\s+(\S+)/;

/** Nameserver addresses of a resolv.conf text, in order. */
export function nameservers(text: string): string[] {
  return text.split('\n').flatMap((line) => {
    const m = nameserverRe.exec(line);
    return m ? [m[1]!] : [];
  });
}

/**
 * The agent's recursors: the host's nameservers except the agent itself, taken from the current
 * file, or from the saved original when the current one names no other server. Deduplicated.
 */
export function recursorsOf(current: string, original?: string): string[] {
  const others = (t: string) => [...new Set(nameservers(t).filter((ip) => ip !== AGENT_DNS))];
  const now = others(current);
  return now.length > 0 || original === undefined ? now : others(original);
}

/** Removes `rotate` from an `options` line; drops the line when nothing else is left on it. */
function withoutRotate(line: string): string | undefined {
  if (!/^\s*options\s/.test(line)) return line;
  const opts = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .filter((o) => o !== 'rotate');
  return opts.length ? `options ${opts.join(' ')}` : undefined;
}

/**
 * The resolv.conf a Consul host gets from its current one: `nameserver 127.0.0.1` before every
 * other line that matters, the other nameservers in their order, everything else kept, no rotate.
 * Applying it twice gives the same text.
 */
export function editResolvConf(current: string): string {
  const kept: string[] = [];
  for (const line of current.split('\n')) {
    const m = nameserverRe.exec(line);
    if (m && m[1] === AGENT_DNS) continue;
    const l = withoutRotate(line);
    if (l !== undefined) kept.push(l);
  }
  while (kept.length && kept[kept.length - 1]!.trim() === '') kept.pop();
  // Leading comments stay on top (they usually say who wrote the file); our line follows them.
  let head = 0;
  while (head < kept.length && /^\s*([#;].*)?$/.test(kept[head]!)) head++;
  const lines = [...kept.slice(0, head), `nameserver ${AGENT_DNS}`, ...kept.slice(head)];
  return `${lines.join('\n')}\n`;
}
