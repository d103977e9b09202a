import { pbkdf2, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (
  pw: string,
  salt: Buffer,
  len: number,
  o: object,
) => Promise<Buffer>;
const pbkdf2Async = promisify(pbkdf2);

/** Current scrypt cost: N=2^15, r=8, p=1 (32 MiB, ~60 ms here). */
export const SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEYLEN = 32;

function maxmem(N: number, r: number): number {
  return 128 * N * r * 2;
}

/** Hash as `scrypt$N$r$p$<salt b64>$<hash b64>`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p } = SCRYPT;
  const key = await scryptAsync(password, salt, KEYLEN, { N, r, p, maxmem: maxmem(N, r) });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Outcome of a check: `rehash` asks the caller to store a fresh `hashPassword` result. */
export interface Verified {
  ok: boolean;
  rehash: boolean;
}

/** Verify against our scrypt format or Django's `pbkdf2_sha256$iter$salt$b64` (imported users). */
export async function verifyPassword(password: string, stored: string): Promise<Verified> {
  const parts = stored.split('$');
  if (parts[0] === 'scrypt' && parts.length === 6) {
    const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
    if (!(N >= 2 && N <= 2 ** 20 && r >= 1 && r <= 32 && p >= 1 && p <= 16))
      return { ok: false, rehash: false };
    const want = Buffer.from(parts[5]!, 'base64');
    const got = await scryptAsync(password, Buffer.from(parts[4]!, 'base64'), want.length, {
      N,
      r,
      p,
      maxmem: maxmem(N, r),
    });
    const ok = want.length > 0 && timingSafeEqual(got, want);
    return { ok, rehash: ok && (N !== SCRYPT.N || r !== SCRYPT.r || p !== SCRYPT.p) };
  }
  if (parts[0] === 'pbkdf2_sha256' && parts.length === 4) {
    const iter = Number(parts[1]);
    if (!Number.isInteger(iter) || iter < 1 || iter > 10_000_000) return { ok: false, rehash: false };
    const want = Buffer.from(parts[3]!, 'base64');
    if (want.length === 0) return { ok: false, rehash: false };
    const got = await pbkdf2Async(password, parts[2]!, iter, want.length, 'sha256');
    const ok = timingSafeEqual(got, want);
    return { ok, rehash: ok };
  }
  return { ok: false, rehash: false };
}

/** A hash of a random password, verified against when the user does not exist (equal timing). */
export const DUMMY_HASH = `scrypt$${SCRYPT.N}$8$1$${randomBytes(16).toString('base64')}$${randomBytes(32).toString('base64')}`;
