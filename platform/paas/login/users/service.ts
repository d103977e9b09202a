import { exec, isDuplicate } from '../../common/db/pool';
import { t } from '../../common/i18n';
import type { LoginCtx } from '../context';
import { hashPassword, verifyPassword } from '../passwords/passwords';
import {
  countSuperusers,
  createUser,
  deleteUser,
  findUser,
  setPasswordHash,
  setRole,
  type User,
  updateProfile,
} from './store';
import { type RoleCode, validate } from './validate';

/** Outcome of a user-admin action: a message for the page or the AJAX envelope. */
export type Outcome =
  | { ok: true; message: string; id?: number }
  | { ok: false; status: number; message: string };

const denied = (): Outcome => ({ ok: false, status: 403, message: t('users.denied') });
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** Superuser creates a user with an initial password and a role. */
export async function createUserAction(
  ctx: LoginCtx,
  actor: User,
  f: Record<string, unknown>,
): Promise<Outcome> {
  if (!actor.isSuperuser) return denied();
  const u = {
    username: str(f.username),
    chname: str(f.chname),
    phone: str(f.phone),
    email: str(f.email),
    role: str(f.role) || '0',
  };
  const password = typeof f.password === 'string' ? f.password : '';
  const err = validate({ ...u, password });
  if (err) return { ok: false, status: 400, message: err };
  try {
    const id = await createUser(ctx.db, {
      ...u,
      role: Number(u.role) as RoleCode,
      passwordHash: await hashPassword(password),
    });
    return { ok: true, message: t('users.created', { name: u.username }), id };
  } catch (e) {
    if (isDuplicate(e)) return { ok: false, status: 409, message: t('users.taken', { name: u.username }) };
    throw e;
  }
}

/** Superuser or the user themself edits chname/phone/email; only a superuser changes roles. */
export async function updateUserAction(
  ctx: LoginCtx,
  actor: User,
  id: number,
  f: Record<string, unknown>,
): Promise<Outcome> {
  const target = await findUser(ctx.db, { id });
  if (!target) return { ok: false, status: 404, message: t('users.no_user_id', { id }) };
  if (!actor.isSuperuser && actor.id !== id) return denied();
  const p = { chname: str(f.chname), phone: str(f.phone), email: str(f.email) };
  const role = f.role === undefined || f.role === '' ? undefined : str(f.role);
  const err = validate({ ...p, role });
  if (err) return { ok: false, status: 400, message: err };
  if (role !== undefined && Number(role) !== target.role) {
    if (!actor.isSuperuser) return denied();
    if (target.role === 1 && (await countSuperusers(ctx.db)) <= 1)
      return { ok: false, status: 409, message: t('users.last_admin_role') };
    await setRole(ctx.db, id, Number(role) as RoleCode);
  }
  await updateProfile(ctx.db, id, p);
  return { ok: true, message: t('users.saved', { name: target.username }) };
}

/** Change a password: the user themself gives the old one; a superuser resets anyone's. */
export async function changePasswordAction(
  ctx: LoginCtx,
  actor: User,
  id: number,
  f: Record<string, unknown>,
): Promise<Outcome> {
  const target = await findUser(ctx.db, { id });
  if (!target) return { ok: false, status: 404, message: t('users.no_user_id', { id }) };
  const self = actor.id === id;
  if (!self && !actor.isSuperuser) return denied();
  const [p1, p2, old] = [f.new_password1, f.new_password2, f.old_password].map((v) =>
    typeof v === 'string' ? v : '',
  );
  if (p1 !== p2) return { ok: false, status: 400, message: t('users.passwords_differ') };
  const err = validate({ password: p1 });
  if (err) return { ok: false, status: 400, message: err };
  if (self && !(await verifyPassword(old!, target.password)).ok)
    return { ok: false, status: 400, message: t('users.current_wrong') };
  await setPasswordHash(ctx.db, id, await hashPassword(p1!));
  return { ok: true, message: t('users.password_changed', { name: target.username }) };
}

/** Superuser deletes a user, except `admin` and the last administrator; their tokens end. */
export async function deleteUserAction(ctx: LoginCtx, actor: User, id: number): Promise<Outcome> {
  if (!actor.isSuperuser) return denied();
  const target = await findUser(ctx.db, { id });
  if (!target) return { ok: false, status: 404, message: t('users.no_user_id', { id }) };
  if (target.username === 'admin') return { ok: false, status: 409, message: t('users.admin_undeletable') };
  if (target.role === 1 && (await countSuperusers(ctx.db)) <= 1)
    return { ok: false, status: 409, message: t('users.last_admin_undeletable') };
  await deleteUser(ctx.db, id);
  await exec(ctx.db, 'UPDATE login_bktoken SET is_logout = 1 WHERE username = ?', [target.username]);
  return { ok: true, message: t('users.deleted', { name: target.username }) };
}
