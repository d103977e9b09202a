// Value rules for globals.env / ports.env: each returns "expected X, found Y" or undefined when fine.

/** A DNS domain: letters, digits, '-', '.', at least one dot, ending in `.<lowercase letters>`. */
export function domainProblem(v: string): string | undefined {
  if (!/^[A-Za-z0-9.-]+$/.test(v)) return `expected a domain of letters, digits, '-' and '.', found '${v}'`;
  const labels = v.split('.');
  if (labels.length < 2) return `expected a domain with a dot (not a bare top-level name), found '${v}'`;
  if (
    v.length > 253 ||
    labels.some((l) => l === '' || l.length > 63 || l.startsWith('-') || l.endsWith('-'))
  ) {
    return `expected a domain like bking.com (labels of 1-63 characters, no leading/trailing '-'), found '${v}'`;
  }
  if (!/^[a-z]+$/.test(labels.at(-1)!))
    return `expected the domain to end with .<lowercase letters>, found '${v}'`;
  return undefined;
}

/** A TCP/UDP port: a decimal integer 1-65535 without leading zeros. */
export function portProblem(v: string): string | undefined {
  return /^[1-9][0-9]{0,4}$/.test(v) && Number(v) <= 65535
    ? undefined
    : `expected a port number 1-65535, found '${v}'`;
}

/** An absolute, normalised path of safe characters (it lands unquoted in scripts and configs). */
export function installPathProblem(v: string): string | undefined {
  return /^(\/[A-Za-z0-9._-]+)+$/.test(v) && !/\/\.\.?(\/|$)/.test(v)
    ? undefined
    : `expected an absolute path like /data/bkce (letters, digits, '.', '_', '-'; not /), found '${v}'`;
}

/** A MySQL account name the templates can use unquoted. */
export function mysqlUserProblem(v: string): string | undefined {
  return /^[A-Za-z_][A-Za-z0-9_]{0,31}$/.test(v)
    ? undefined
    : `expected a MySQL user of letters, digits and '_' (at most 32, not starting with a digit), found '${v}'`;
}

/** The login service's username rule: 4-20 of letters, digits, '.', '_', starting and ending alphanumeric. */
export function loginUserProblem(v: string): string | undefined {
  return /^[A-Za-z0-9](?:[A-Za-z0-9._]{2,18})[A-Za-z0-9]$/.test(v)
    ? undefined
    : `expected a user name of 4-20 letters, digits, '.' or '_' starting and ending with a letter or digit, found '${v}'`;
}

/** Symbols the login service allows in a password. */
export const LOGIN_SYMBOLS = '!@#$%^*()_-+=';

/** The login service's password rule: 8-20 characters, upper, lower and digit, symbols from LOGIN_SYMBOLS. */
export function loginPasswordProblem(v: string): string | undefined {
  const allowed = [...v].every((c) => /[A-Za-z0-9]/.test(c) || LOGIN_SYMBOLS.includes(c));
  const ok =
    v.length >= 8 && v.length <= 20 && /[A-Z]/.test(v) && /[a-z]/.test(v) && /[0-9]/.test(v) && allowed;
  return ok
    ? undefined
    : `expected 8-20 characters with an upper-case letter, a lower-case letter and a digit, symbols only from ${LOGIN_SYMBOLS}, found a value of ${v.length} characters that does not qualify`;
}

/** Consul's gossip key: base64 of 16, 24 or 32 bytes. */
export function consulKeyProblem(v: string): string | undefined {
  const ok =
    /^[A-Za-z0-9+/]+={0,2}$/.test(v) &&
    v.length % 4 === 0 &&
    [16, 24, 32].includes(Buffer.from(v, 'base64').length);
  return ok ? undefined : 'expected base64 of 32 random bytes (Consul gossip key), found a value that is not';
}

/** A secret: anything non-empty without whitespace or control characters (it lands in config files). */
export function secretProblem(v: string): string | undefined {
  return /^[^\s\x00-\x1f\x7f]+$/.test(v)
    ? undefined
    : 'expected a secret without whitespace or control characters, found one with them';
}

/** A Unix login name for SSH. */
export function unixUserProblem(v: string): string | undefined {
  return /^[a-z_][a-z0-9_-]{0,31}$/.test(v) ? undefined : `expected a Unix user name like root, found '${v}'`;
}
