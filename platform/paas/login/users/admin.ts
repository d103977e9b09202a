import type { Pool } from '../../common/db/pool';
import { hashPassword } from '../passwords/passwords';
import { createUser, findUser } from './store';

/**
 * Create the initial superuser unless a user of that name exists (then nothing changes, so a
 * password changed since install is kept). Safe to run on several hosts at once.
 */
export async function createAdmin(
  db: Pool,
  username: string,
  password: string,
): Promise<'created' | 'exists'> {
  if (password.length < 8)
    throw new Error(`the admin password must have at least 8 characters, got ${password.length}`);
  if (await findUser(db, { username })) return 'exists';
  try {
    await createUser(db, {
      username,
      passwordHash: await hashPassword(password),
      chname: username,
      phone: '',
      email: '',
      role: 1,
    });
  } catch (e) {
    if ((e as { code?: string }).code === 'ER_DUP_ENTRY') return 'exists';
    throw e;
  }
  return 'created';
}
