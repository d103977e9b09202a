// Opens one authenticated, host-key-checked ssh2 connection, turning every way it can fail into
// a TransportError that says what happened and what to do.

import { createHash } from 'node:crypto';
import { type Socket, connect as tcpConnect } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ssh2';
import {
  checkHostKey,
  hostLookupName,
  keyTypeOf,
  knownHostLine,
  knownKeyTypes,
  readKnownHosts,
  recordHostKey,
} from './known-hosts';
import { authCandidates, authHandler } from './ssh-auth';
import type { SshSettings } from './ssh-settings';
import { TransportError } from './transport';

const HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** Connects and logs in; resolves once the connection is ready for channels. */
export async function connectSsh(host: string, s: SshSettings): Promise<Client> {
  const timeoutMs = s.connectTimeoutMs ?? 10_000;
  const file = s.knownHostsPath ?? join(homedir(), '.ssh', 'known_hosts');
  const name = hostLookupName(host, s.port);
  const entries = await readKnownHosts(file);
  const { candidates, skipped } = await authCandidates(host, s.keyPath);
  if (candidates.length === 0) {
    const why = skipped.length ? ` (unusable: ${skipped.join('; ')})` : '';
    throw new TransportError(
      host,
      `no SSH key to log in with: set a key path, start ssh-agent, or create ~/.ssh/id_ed25519${why}`,
    );
  }
  const sock = await openSocket(host, s.port, timeoutMs);
  const client = new Client();
  const tried: string[] = [];
  let hostKeyProblem: string | undefined;
  const verify = (key: Buffer, done: (ok: boolean) => void): void => {
    const verdict = checkHostKey(entries, name, key);
    const seen = `${keyTypeOf(key)} key ${fingerprint(key)}`;
    if (verdict.kind === 'known') {
      done(true);
      return;
    }
    if (verdict.kind === 'unknown' && s.acceptNew) {
      recordHostKey(file, name, key).then(
        () => done(true),
        (err: Error) => {
          hostKeyProblem = `cannot record the new host key in ${file}: ${err.message}`;
          done(false);
        },
      );
      return;
    }
    hostKeyProblem =
      verdict.kind === 'unknown'
        ? `host key not known: ${file} has no entry for ${name}, which presents the ${seen}. ` +
          `To trust it on first contact set the SSH option acceptNew: true (bkcec --accept-new-host-keys), or add this line to ${file}: ${knownHostLine(name, key)}`
        : verdict.kind === 'revoked'
          ? `the host key of ${name} (${seen}) is marked @revoked in ${file} line ${verdict.line}`
          : `HOST KEY CHANGED for ${name}: ${file} line ${verdict.line} holds a different ${verdict.expectedType} key, ` +
            `but the host now presents the ${seen}. This can be an attack; if the host was reinstalled, remove line ${verdict.line} from ${file}`;
    done(false);
  };
  const known = knownKeyTypes(entries, name).flatMap((t) =>
    t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', t] : [t],
  );
  return new Promise((resolve, reject) => {
    const fail = (err: Error & { level?: string }): void => {
      sock.destroy();
      let why = `SSH handshake on port ${s.port} failed: ${err.message}`;
      if (hostKeyProblem) why = hostKeyProblem;
      else if (err.level === 'client-authentication') {
        const also = skipped.length ? `; skipped ${skipped.join('; ')}` : '';
        why = `SSH login refused for user ${s.user}; tried ${tried.join(', ') || 'nothing'}${also}`;
      } else if (/before handshake/.test(err.message)) {
        why = `port ${s.port} accepted the connection but closed it before the SSH greeting: not an SSH server, or sshd turned us away (MaxStartups, host access rules)`;
      } else if (err.level === 'client-timeout') {
        why = `SSH handshake on port ${s.port} did not finish within ${timeoutMs} ms`;
      }
      reject(new TransportError(host, why, { cause: err }));
    };
    const closed = () => fail(new Error('the server closed the connection before login'));
    client.on('error', fail); // ssh2 may report more than one error for a failed handshake
    client.once('close', closed);
    client.once('ready', () => {
      client.off('error', fail);
      client.off('close', closed);
      resolve(client);
    });
    client.connect({
      sock,
      username: s.user,
      readyTimeout: timeoutMs,
      keepaliveInterval: 15_000,
      keepaliveCountMax: 4,
      algorithms: { serverHostKey: [...new Set([...known, ...HOST_KEY_ALGORITHMS])] as never },
      hostVerifier: verify,
      authHandler: authHandler(s.user, candidates, tried),
    });
  });
}

/** A connected TCP socket with Nagle off (it costs ~40 ms per exec otherwise). */
function openSocket(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = tcpConnect({ host, port });
    sock.setNoDelay(true);
    const timer = setTimeout(() => {
      sock.destroy();
      reject(
        new TransportError(
          host,
          `no answer on port ${port} within ${timeoutMs} ms: host down, unreachable, or a firewall drops the packets`,
        ),
      );
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.removeAllListeners('error');
      resolve(sock);
    });
    sock.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const why =
        err.code === 'ECONNREFUSED'
          ? `connection refused on port ${port}: no SSH server listens there`
          : err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH'
            ? `host unreachable on port ${port} (${err.code}): check the address and the network route`
            : `cannot connect to port ${port}: ${err.message}`;
      reject(new TransportError(host, why, { cause: err }));
    });
  });
}

function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}
