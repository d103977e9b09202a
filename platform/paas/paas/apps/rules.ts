import { t } from '../../common/i18n';

/** App field rules (reference §3.2); each returns an error text or null. */
export const APP_RULES = {
  code: (v: string) => (/^[a-z][a-z0-9-]{2,15}$/.test(v) ? null : t('rule.app_code')),
  name: (v: string) => (v.length >= 1 && v.length <= 20 ? null : t('rule.app_name')),
  introduction: (v: string) => (v.length <= 2000 ? null : t('rule.introduction')),
  vcsUrl: (v: string) => (v === '' || /^(https?|git|svn|ssh):\/\/[^\s]+$/.test(v) ? null : t('rule.vcs_url')),
} as const;

/** Env var rules: name `[A-Za-z0-9_]+` (stored with the BKAPP_ prefix), mode, value length. */
export const ENV_RULES = {
  name: (v: string) => (/^[A-Za-z0-9_]{1,43}$/.test(v) ? null : t('rule.env_name')),
  mode: (v: string) => (['all', 'test', 'prod'].includes(v) ? null : t('rule.env_mode')),
  value: (v: string) => (v.length <= 1024 ? null : t('rule.env_value')),
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
