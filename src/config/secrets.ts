// Strong random secrets for a new control directory (node:crypto only).
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { LOGIN_SYMBOLS } from './rules';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;

/** `length` characters drawn uniformly from `alphabet`. */
export function randomString(length: number, alphabet = ALNUM): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** A 16-character password the login service accepts: upper, lower, digit and one of its symbols. */
export function loginPassword(): string {
  const chars = [...randomString(1, UPPER), ...randomString(1, LOWER), ...randomString(1, DIGITS)];
  chars.push(...randomString(1, LOGIN_SYMBOLS), ...randomString(12, ALNUM + LOGIN_SYMBOLS));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/** Fresh values for every secret of globals.env. */
export function generateSecrets() {
  return {
    MYSQL_PASS: randomString(24),
    REDIS_PASS: randomString(24),
    PAAS_ADMIN_PASS: loginPassword(),
    ESB_TOKEN: randomUUID() as string,
    ESB_SECRET_KEY: randomString(50),
    CONSUL_ENCRYPT: randomBytes(32).toString('base64'),
  };
}
