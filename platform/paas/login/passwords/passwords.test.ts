import { pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords';

describe('passwords', () => {
  it('hashes with scrypt in the documented format and verifies', async () => {
    const h = await hashPassword('Secret123');
    expect(h).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(await verifyPassword('Secret123', h)).toEqual({ ok: true, rehash: false });
    expect(await verifyPassword('Secret124', h)).toEqual({ ok: false, rehash: false });
    expect(await hashPassword('Secret123')).not.toBe(h);
  });
  it('verifies Django pbkdf2_sha256 hashes and asks for a rehash', async () => {
    const django = `pbkdf2_sha256$20000$abcdEFGH1234$${pbkdf2Sync('blueking', 'abcdEFGH1234', 20000, 32, 'sha256').toString('base64')}`;
    expect(await verifyPassword('blueking', django)).toEqual({ ok: true, rehash: true });
    expect(await verifyPassword('Blueking', django)).toEqual({ ok: false, rehash: false });
  });
  it('asks for a rehash of weaker scrypt parameters', async () => {
    const { scryptSync, randomBytes } = await import('node:crypto');
    const salt = randomBytes(16);
    const weak = `scrypt$1024$8$1$${salt.toString('base64')}$${scryptSync('pw', salt, 32, { N: 1024, r: 8, p: 1 }).toString('base64')}`;
    expect(await verifyPassword('pw', weak)).toEqual({ ok: true, rehash: true });
  });
  it.each([
    '',
    'plain',
    'md5$x$y',
    'scrypt$1$8$1$a$b',
    'scrypt$99999999$8$1$a$b',
    'pbkdf2_sha256$0$s$h',
    'pbkdf2_sha256$10$s$',
  ])('refuses malformed hash %j', async (h) => {
    expect((await verifyPassword('x', h)).ok).toBe(false);
  });
});
