// Which credentials the SSH transport offers, in order, and an auth handler that remembers
// what it tried (so a refusal can say so).

import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import ssh2, { type AnyAuthMethod, type AuthenticationType, type NextAuthHandler } from 'ssh2';
import { TransportError } from './transport';

/** One thing we can log in with. */
export type AuthCandidate =
  | { label: string; kind: 'key'; key: Buffer }
  | { label: string; kind: 'agent'; socket: string };

/** Default key files, tried after the agent when no key path is configured (OpenSSH's order). */
const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/**
 * The explicit key when `keyPath` is set; otherwise the ssh-agent from SSH_AUTH_SOCK, then
 * ~/.ssh/id_ed25519, id_ecdsa, id_rsa. `skipped` says why a present key file cannot be used.
 */
export async function authCandidates(
  host: string,
  keyPath?: string,
): Promise<{ candidates: AuthCandidate[]; skipped: string[] }> {
  const candidates: AuthCandidate[] = [];
  const skipped: string[] = [];
  if (keyPath) {
    const key = await readFile(keyPath).catch((err: Error) => {
      throw new TransportError(host, `cannot read the SSH key ${keyPath}: ${err.message}`, { cause: err });
    });
    const problem = keyProblem(key);
    if (problem) throw new TransportError(host, `the SSH key ${keyPath} is not usable: ${problem}`);
    return { candidates: [{ label: `key ${keyPath}`, kind: 'key', key }], skipped };
  }
  const socket = process.env.SSH_AUTH_SOCK;
  if (socket) candidates.push({ label: `ssh-agent (${socket})`, kind: 'agent', socket });
  for (const name of DEFAULT_KEYS) {
    const path = join(homedir(), '.ssh', name);
    const key = await readFile(path).catch(() => undefined);
    if (!key) continue;
    const problem = keyProblem(key);
    if (problem) skipped.push(`key ${path} (${problem})`);
    else candidates.push({ label: `key ${path}`, kind: 'key', key });
  }
  return { candidates, skipped };
}

function keyProblem(key: Buffer): string | undefined {
  const parsed = ssh2.utils.parseKey(key);
  if (!(parsed instanceof Error)) return undefined;
  return /encrypted/i.test(parsed.message)
    ? 'encrypted with a passphrase: load it into ssh-agent instead'
    : `not a private key ssh2 can read (${parsed.message})`;
}

/** An ssh2 authHandler offering each candidate once, in order; `tried` lists what was offered. */
export function authHandler(
  user: string,
  candidates: AuthCandidate[],
  tried: string[],
): (left: AuthenticationType[] | null, partial: boolean | null, next: NextAuthHandler) => void {
  let i = 0;
  const noMore = false as unknown as AuthenticationType; // ssh2 takes `false` for "give up"; its types omit it
  return (left, _partial, next) => {
    const c = candidates[i++];
    if (!c || (left && !left.includes('publickey'))) return next(noMore);
    tried.push(c.label);
    const method: AnyAuthMethod =
      c.kind === 'key'
        ? { type: 'publickey', username: user, key: c.key }
        : { type: 'agent', username: user, agent: c.socket };
    next(method);
  };
}
