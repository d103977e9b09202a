import { t } from '../../common/i18n';

/** Field rules of the original login (reference §2.3); each returns an error text or null. */
export const RULES = {
  username: (v: string) =>
    /^[A-Za-z0-9][A-Za-z0-9._]{2,18}[A-Za-z0-9]$/.test(v) ? null : t('rule.username'),
  password: (v: string) =>
    /^[A-Za-z0-9!@#$%^*()_\-+=]{8,20}$/.test(v) && /[A-Z]/.test(v) && /[a-z]/.test(v) && /[0-9]/.test(v)
      ? null
      : t('rule.password'),
  chname: (v: string) => (/^[\p{Script=Han}A-Za-z0-9_]{1,16}$/u.test(v) ? null : t('rule.chname')),
  phone: (v: string) => (v === '' || /^\d{11}$/.test(v) ? null : t('rule.phone')),
  email: (v: string) =>
    v === '' || (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) && v.length <= 254) ? null : t('rule.email'),
  role: (v: string) => (/^[0-4]$/.test(v) ? null : t('rule.role')),
} as const;

/** Role codes and their names in data (pages show roleLabel(code)); several roles count as the highest in this order. */
export const ROLES = { 0: 'staff', 1: 'administrator', 2: 'developer', 3: 'operator', 4: 'auditor' } as const;
export type RoleCode = keyof typeof ROLES;
const PRIORITY: readonly RoleCode[] = [1, 2, 3, 4, 0];

/** The effective role of a user holding `codes`. */
export function effectiveRole(codes: readonly number[]): RoleCode {
  return PRIORITY.find((c) => codes.includes(c)) ?? 0;
}

/** Check the named fields of a form; returns the first error or null. */
export function validate(fields: Partial<Record<keyof typeof RULES, string>>): string | null {
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    const err = RULES[k as keyof typeof RULES](v);
    if (err) return err;
  }
  return null;
}
