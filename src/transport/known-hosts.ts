// Host key checks against an OpenSSH known_hosts file: plain, hashed (|1|salt|hash) and
// [host]:port entries, @revoked lines, and recording a first-seen key.

import { createHmac } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** One key line of a known_hosts file. */
export interface KnownHostEntry {
  line: number;
  revoked: boolean;
  patterns: string;
  keyType: string;
  key: Buffer;
}

/** What the file says about the key a host presented. */
export type HostKeyVerdict =
  | { kind: 'known'; line: number }
  | { kind: 'unknown' }
  | { kind: 'changed'; line: number; expectedType: string }
  | { kind: 'revoked'; line: number };

/** The name OpenSSH files a host under: `host` on port 22, `[host]:port` otherwise. */
export function hostLookupName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Parses known_hosts text; comments, blank lines, @cert-authority and malformed lines are skipped. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === '' || fields[0]?.startsWith('#') || fields[0] === '@cert-authority') return;
    const revoked = fields[0] === '@revoked';
    const [patterns, keyType, b64] = revoked ? fields.slice(1) : fields;
    if (!patterns || !keyType || !b64) return;
    entries.push({ line: i + 1, revoked, patterns, keyType, key: Buffer.from(b64, 'base64') });
  });
  return entries;
}

/** True when a host-pattern field (comma list, `*`/`?` wildcards, `!` negation, or a hashed name) names `name`. */
export function matchesHost(patterns: string, name: string): boolean {
  if (patterns.startsWith('|1|')) {
    const [, , salt, hash] = patterns.split('|');
    if (!salt || !hash) return false;
    const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return mac === hash;
  }
  let matched = false;
  for (const pattern of patterns.toLowerCase().split(',')) {
    const negated = pattern.startsWith('!');
    if (!globRegExp(negated ? pattern.slice(1) : pattern).test(name.toLowerCase())) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function globRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** Judges the key `name` presented against the file's entries. */
export function checkHostKey(entries: KnownHostEntry[], name: string, key: Buffer): HostKeyVerdict {
  const mine = entries.filter((e) => matchesHost(e.patterns, name));
  const revoked = mine.find((e) => e.revoked && e.key.equals(key));
  if (revoked) return { kind: 'revoked', line: revoked.line };
  const live = mine.filter((e) => !e.revoked);
  const same = live.find((e) => e.key.equals(key));
  if (same) return { kind: 'known', line: same.line };
  const other = live.find((e) => e.keyType === keyTypeOf(key)) ?? live[0];
  return other ? { kind: 'changed', line: other.line, expectedType: other.keyType } : { kind: 'unknown' };
}

/** The key types the file holds for `name` (to ask the server for one of them first). */
export function knownKeyTypes(entries: KnownHostEntry[], name: string): string[] {
  return [
    ...new Set(entries.filter((e) => !e.revoked && matchesHost(e.patterns, name)).map((e) => e.keyType)),
  ];
}

/** The algorithm name inside an SSH public key blob (`ssh-ed25519`, `ssh-rsa`, …). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('latin1');
}

/** A known_hosts line for `name` and `key`. */
export function knownHostLine(name: string, key: Buffer): string {
  return `${name} ${keyTypeOf(key)} ${key.toString('base64')}`;
}

/** Reads a known_hosts file; a missing file is an empty one. */
export async function readKnownHosts(file: string): Promise<KnownHostEntry[]> {
  try {
    return parseKnownHosts(await readFile(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Appends `name`'s key to the file (creating it and its folder), keeping any missing final newline in mind. */
export async function recordHostKey(file: string, name: string, key: Buffer): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  try {
    const text = await readFile(file, 'utf8');
    if (text !== '' && !text.endsWith('\n')) prefix = '\n';
  } catch {
    // a new file
  }
  await appendFile(file, `${prefix}${knownHostLine(name, key)}\n`, { mode: 0o644 });
}
