// The benchmark's view of the testbed: bring up M hosts, read where its key and known_hosts are.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const testbed = (...args: string[]) =>
  execFileSync(join(repo, 'tools', 'testbed', 'testbed'), args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });

/** Makes exactly `m` hosts and returns their IPs, key and known_hosts paths. */
export function testbedUp(m: number): { ips: string[]; key: string; knownHosts: string } {
  testbed('up', String(m));
  const paths = Object.fromEntries(
    testbed('paths')
      .trim()
      .split('\n')
      .map((l) => l.split(' ') as [string, string]),
  );
  const ips = testbed('list')
    .trim()
    .split('\n')
    .map((l) => l.split(' ')[2]!)
    .slice(0, m);
  return { ips, key: paths.key!, knownHosts: paths.known_hosts! };
}

/** Runs `cmd` on every listed host (for resets between runs). */
export function onHosts(ips: string[], cmd: string): void {
  for (const ip of ips) testbed('ssh', ip, cmd);
}
