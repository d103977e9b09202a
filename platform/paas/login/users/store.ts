import { exec, one, type Pool, rows, type SqlParam } from '../../common/db/pool';
import { effectiveRole, type RoleCode } from './validate';

/** A login user with its effective role. */
export interface User {
  id: number;
  username: string;
  password: string;
  chname: string;
  qq: string;
  phone: string;
  email: string;
  role: RoleCode;
  isSuperuser: boolean;
  language: string;
  timeZone: string;
  wxUserid: string;
}

const SELECT = `SELECT u.id, u.username, u.password, u.chname, u.qq, u.phone, u.email,
  GROUP_CONCAT(r.code) AS roles, i.language, i.time_zone, i.wx_userid
  FROM bkaccount_bkuser u
  LEFT JOIN login_bkuser_role ur ON ur.user_id = u.id LEFT JOIN login_bkrole r ON r.id = ur.role_id
  LEFT JOIN login_userinfo i ON i.user_id = u.id`;

interface Row {
  id: number;
  username: string;
  password: string;
  chname: string;
  qq: string;
  phone: string;
  email: string;
  roles: string | null;
  language: string | null;
  time_zone: string | null;
  wx_userid: string | null;
}

function toUser(r: Row): User {
  const role = effectiveRole((r.roles ?? '').split(',').filter(Boolean).map(Number));
  return {
    id: r.id,
    username: r.username,
    password: r.password,
    chname: r.chname,
    qq: r.qq,
    phone: r.phone,
    email: r.email,
    role,
    isSuperuser: role === 1,
    language: r.language ?? 'zh-cn',
    timeZone: r.time_zone ?? 'Asia/Shanghai',
    wxUserid: r.wx_userid ?? '',
  };
}

/** One user by username or id. */
export async function findUser(
  db: Pool,
  key: { username: string } | { id: number },
): Promise<User | undefined> {
  const [col, v] = 'username' in key ? ['u.username', key.username] : ['u.id', key.id];
  const r = await one<Row>(db, `${SELECT} WHERE ${col} = ? GROUP BY u.id`, [v]);
  return r && toUser(r);
}

/** Users matching a filter, ordered by id, with the total count for paging. */
export async function listUsers(
  db: Pool,
  f: { search?: string; role?: number; usernames?: readonly string[]; page?: number; pageSize?: number },
): Promise<{ users: User[]; total: number }> {
  const where: string[] = [];
  const params: SqlParam[] = [];
  if (f.search) {
    where.push('(u.username LIKE ? OR u.chname LIKE ? OR u.phone LIKE ? OR u.email LIKE ?)');
    const like = `%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    params.push(like, like, like, like);
  }
  if (f.usernames) {
    if (f.usernames.length === 0) return { users: [], total: 0 };
    where.push('u.username IN (?)');
    params.push(f.usernames as string[]);
  }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  let all = (await rows<Row>(db, `${SELECT} ${w} GROUP BY u.id ORDER BY u.id`, params)).map(toUser);
  if (f.role !== undefined) all = all.filter((u) => u.role === f.role);
  if (!f.pageSize) return { users: all, total: all.length };
  const start = ((f.page ?? 1) - 1) * f.pageSize;
  return { users: all.slice(start, start + f.pageSize), total: all.length };
}

/** Replace the user's roles with one role and keep is_superuser in step. */
export async function setRole(db: Pool, userId: number, role: RoleCode): Promise<void> {
  const conn = await db.getConnection();
  try {
    await conn.beginTransaction();
    await conn.query('DELETE FROM login_bkuser_role WHERE user_id = ?', [userId]);
    await conn.query(
      'INSERT INTO login_bkuser_role (user_id, role_id) SELECT ?, id FROM login_bkrole WHERE code = ?',
      [userId, role],
    );
    await conn.query('UPDATE bkaccount_bkuser SET is_superuser = ? WHERE id = ?', [
      role === 1 ? 1 : 0,
      userId,
    ]);
    await conn.commit();
  } catch (e) {
    await conn.rollback();
    throw e;
  } finally {
    conn.release();
  }
}

/** Insert a user (password already hashed) with its role; returns the id. */
export async function createUser(
  db: Pool,
  u: { username: string; passwordHash: string; chname: string; phone: string; email: string; role: RoleCode },
): Promise<number> {
  const { insertId } = await exec(
    db,
    'INSERT INTO bkaccount_bkuser (username, password, chname, phone, email, is_superuser) VALUES (?, ?, ?, ?, ?, 0)',
    [u.username, u.passwordHash, u.chname, u.phone, u.email],
  );
  await exec(db, 'INSERT INTO login_userinfo (user_id) VALUES (?)', [insertId]);
  await setRole(db, insertId, u.role);
  return insertId;
}

/** Update profile fields. */
export async function updateProfile(
  db: Pool,
  id: number,
  p: { chname: string; phone: string; email: string },
): Promise<void> {
  await exec(db, 'UPDATE bkaccount_bkuser SET chname = ?, phone = ?, email = ? WHERE id = ?', [
    p.chname,
    p.phone,
    p.email,
    id,
  ]);
}

/** Store a new password hash. */
export async function setPasswordHash(db: Pool, id: number, hash: string): Promise<void> {
  await exec(db, 'UPDATE bkaccount_bkuser SET password = ? WHERE id = ?', [hash, id]);
}

/** Delete a user (roles and info cascade). */
export async function deleteUser(db: Pool, id: number): Promise<void> {
  await exec(db, 'DELETE FROM bkaccount_bkuser WHERE id = ?', [id]);
}

/** How many users hold the superuser role. */
export async function countSuperusers(db: Pool): Promise<number> {
  const r = await one<{ n: number }>(
    db,
    'SELECT COUNT(DISTINCT ur.user_id) AS n FROM login_bkuser_role ur JOIN login_bkrole r ON r.id = ur.role_id WHERE r.code = 1',
  );
  return Number(r?.n ?? 0);
}

/** Record a successful login. */
export async function logLogin(
  db: Pool,
  userId: number,
  e: { browser: string; ip: string; host: string; appId: string },
) {
  await exec(db, 'UPDATE bkaccount_bkuser SET last_login = NOW() WHERE id = ?', [userId]);
  await exec(
    db,
    'INSERT INTO login_bklog (user_id, login_browser, login_ip, login_host, app_id) VALUES (?, ?, ?, ?, ?)',
    [userId, e.browser.slice(0, 200), e.ip.slice(0, 50), e.host.slice(0, 100), e.appId.slice(0, 30)],
  );
}
