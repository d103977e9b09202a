// Labels of coded values shared by several programs, as literal keys (the catalogue check sees them).
import { t } from './context';
import type { MessageKey } from './format';

const ROLE_KEYS: Record<number, MessageKey> = {
  0: 'role.0',
  1: 'role.1',
  2: 'role.2',
  3: 'role.3',
  4: 'role.4',
};

/** The name of a login role code (0 staff … 4 auditor) in the current language. */
export function roleLabel(code: number): string {
  const k = ROLE_KEYS[code];
  return k ? t(k) : String(code);
}
