import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkHostKey,
  hostLookupName,
  keyTypeOf,
  matchesHost,
  parseKnownHosts,
  recordHostKey,
} from './known-hosts';

/** A fake SSH key blob of `type` (the checks compare blobs; they never parse the key itself). */
const blob = (type: string, fill: number) => {
  const name = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(name.length);
  return Buffer.concat([len, name, Buffer.alloc(32, fill)]);
};
const ED_A = blob('ssh-ed25519', 1);
const ED_B = blob('ssh-ed25519', 2);
const RSA = blob('ssh-rsa', 3);
const line = (host: string, key: Buffer) => `${host} ${keyTypeOf(key)} ${key.toString('base64')}`;
const hashed = (name: string) => {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
};

describe('known_hosts', () => {
  it('files hosts under [host]:port unless the port is 22', () => {
    expect(hostLookupName('10.0.0.1', 22)).toBe('10.0.0.1');
    expect(hostLookupName('10.0.0.1', 2222)).toBe('[10.0.0.1]:2222');
  });

  it('matches comma lists, wildcards, negations and hashed names', () => {
    expect(matchesHost('a.example,10.0.0.1', '10.0.0.1')).toBe(true);
    expect(matchesHost('10.0.0.*', '10.0.0.7')).toBe(true);
    expect(matchesHost('10.0.0.?', '10.0.0.17')).toBe(false);
    expect(matchesHost('10.0.0.*,!10.0.0.9', '10.0.0.9')).toBe(false);
    expect(matchesHost('[10.0.0.1]:2222', '[10.0.0.1]:2222')).toBe(true);
    expect(matchesHost('[10.0.0.1]:2222', '10.0.0.1')).toBe(false);
    expect(matchesHost(hashed('[10.0.0.1]:2222'), '[10.0.0.1]:2222')).toBe(true);
    expect(matchesHost(hashed('10.0.0.1'), '10.0.0.2')).toBe(false);
  });

  it('says known, unknown, changed (with the line) and revoked', () => {
    const entries = parseKnownHosts(
      [
        '# comment',
        '',
        line('10.0.0.1', ED_A),
        line('10.0.0.2', RSA),
        `@revoked ${line('10.0.0.3', ED_B)}`,
        `@cert-authority ${line('*', ED_B)}`,
        'garbage',
      ].join('\n'),
    );
    expect(entries.map((e) => e.line)).toEqual([3, 4, 5]);
    expect(checkHostKey(entries, '10.0.0.1', ED_A)).toEqual({ kind: 'known', line: 3 });
    expect(checkHostKey(entries, '10.0.0.9', ED_A)).toEqual({ kind: 'unknown' });
    expect(checkHostKey(entries, '10.0.0.1', ED_B)).toEqual({
      kind: 'changed',
      line: 3,
      expectedType: 'ssh-ed25519',
    });
    expect(checkHostKey(entries, '10.0.0.2', ED_A)).toEqual({
      kind: 'changed',
      line: 4,
      expectedType: 'ssh-rsa',
    });
    expect(checkHostKey(entries, '10.0.0.3', ED_B)).toEqual({ kind: 'revoked', line: 5 });
  });

  it('appends a first-seen key, adding a missing final newline, creating the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bkcec-kh-'));
    const file = join(dir, 'sub', 'known_hosts');
    await recordHostKey(file, '[10.0.0.1]:2222', ED_A);
    expect(await readFile(file, 'utf8')).toBe(`${line('[10.0.0.1]:2222', ED_A)}\n`);
    await writeFile(file, line('10.0.0.2', RSA));
    await recordHostKey(file, '10.0.0.3', ED_B);
    expect(await readFile(file, 'utf8')).toBe(`${line('10.0.0.2', RSA)}\n${line('10.0.0.3', ED_B)}\n`);
    await rm(dir, { recursive: true });
  });
});
