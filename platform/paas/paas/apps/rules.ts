/** App field rules (reference §3.2); each returns an error text or null. */
export const APP_RULES = {
  code: (v: string) =>
    /^[a-z][a-z0-9-]{2,15}$/.test(v)
      ? null
      : 'App code: 3–16 characters, lower-case letters, digits and "-", starting with a letter',
  name: (v: string) => (v.length >= 1 && v.length <= 20 ? null : 'App name: 1–20 characters'),
  introduction: (v: string) => (v.length <= 2000 ? null : 'Introduction: at most 2000 characters'),
  vcsUrl: (v: string) =>
    v === '' || /^(https?|git|svn|ssh):\/\/[^\s]+$/.test(v)
      ? null
      : 'Repository URL: expected http(s)://, git://, ssh:// or svn://',
} as const;

/** Env var rules: name `[A-Za-z0-9_]+` (stored with the BKAPP_ prefix), mode, value length. */
export const ENV_RULES = {
  name: (v: string) => (/^[A-Za-z0-9_]{1,43}$/.test(v) ? null : 'Variable name: 1–43 letters, digits or "_"'),
  mode: (v: string) => (['all', 'test', 'prod'].includes(v) ? null : 'Mode: expected all, test or prod'),
  value: (v: string) => (v.length <= 1024 ? null : 'Value: at most 1024 characters'),
} as const;

export const ENV_PREFIX = 'BKAPP_';

/** `BKAPP_` + name, without doubling a prefix the user already typed. */
export function envName(name: string): string {
  return name.toUpperCase().startsWith(ENV_PREFIX)
    ? ENV_PREFIX + name.slice(ENV_PREFIX.length)
    : ENV_PREFIX + name;
}

/** Usernames from a `;`/`,`/space separated list, deduplicated. */
export function splitUsers(v: string): string[] {
  return [
    ...new Set(
      v
        .split(/[;,\s]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/** App states (paas_app.state). */
export const STATES: Record<number, string> = {
  0: 'offline',
  1: 'in development',
  3: 'testing',
  4: 'online',
  8: 'deploying to test',
  9: 'deploying to prod',
  10: 'going offline',
};
