// Picks the transport for a host (local for this machine's own addresses, SSH otherwise) and
// keeps one open transport per host for the whole run.

import { networkInterfaces } from 'node:os';
import { LocalTransport } from './local';
import { SshTransport } from './ssh';
import type { SshSettings } from './ssh-settings';
import type { Transport } from './transport';

export type { SshSettings } from './ssh-settings';

/** True for 127.0.0.0/8, ::1, `localhost` and every address of this machine's interfaces. */
export function isOwnAddress(host: string): boolean {
  if (host === 'localhost' || host === '::1' || host.startsWith('127.')) return true;
  return Object.values(networkInterfaces()).some((list) => list?.some((i) => i.address === host));
}

/** Opens `host`: a LocalTransport for this machine (unless BKCEC_FORCE_SSH is set), else a connected SshTransport. */
export async function openTransport(host: string, ssh: SshSettings): Promise<Transport> {
  if (isOwnAddress(host) && !process.env.BKCEC_FORCE_SSH) return new LocalTransport(host);
  return SshTransport.connect(host, ssh);
}

/** One transport per host for a run: concurrent `get`s of a host share one connect; a failed connect is retried by the next `get`. */
export class TransportPool {
  private readonly open = new Map<string, Promise<Transport>>();
  private readonly settings: SshSettings;

  /** `overrides` (e.g. `{ acceptNew: true }` from the command line) win over `ssh`. */
  constructor(ssh: SshSettings, overrides: Partial<SshSettings> = {}) {
    this.settings = { ...ssh, ...overrides };
  }

  get(host: string): Promise<Transport> {
    let t = this.open.get(host);
    if (!t) {
      t = openTransport(host, this.settings);
      this.open.set(host, t);
      t.catch(() => this.open.delete(host));
    }
    return t;
  }

  /** Closes every transport opened so far; later `get`s open new ones. */
  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map((p) => p.then((t) => t.close()).catch(() => {})));
  }
}
