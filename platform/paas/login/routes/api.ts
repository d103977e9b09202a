import type { FastifyInstance, FastifyRequest } from 'fastify';
import { V1, V2, v1Fail, v1Ok, v2Fail, v2Ok } from '../../common/envelopes/envelopes';
import { fromEsb, type LoginCtx } from '../context';
import { findUser, listUsers, type User } from '../users/store';

type Q = Record<string, string | undefined>;
const BAD_TOKEN = 'The bk_token is missing, invalid or expired: please sign in again';

function v1User(u: User) {
  return {
    username: u.username,
    chname: u.chname,
    qq: u.qq,
    phone: u.phone,
    email: u.email,
    role: String(u.role),
    wx_userid: u.wxUserid,
    language: u.language,
    time_zone: u.timeZone,
  };
}
function v2User(u: User) {
  const { username, role, ...rest } = v1User(u);
  return { bk_username: username, bk_role: Number(role), ...rest };
}

function listParam(v: unknown): string[] | undefined {
  if (Array.isArray(v)) return v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
  if (typeof v === 'string')
    return v
      .split(/[,;]/)
      .map((s) => s.trim())
      .filter(Boolean);
  return undefined;
}

/** The token/user APIs in both envelopes (reference §2.3); v1 under accounts/, v2 under api/v2/. */
export function apiRoutes(app: FastifyInstance, ctx: LoginCtx): void {
  /** The signed-in caller, or null: the ESB bypass needs no token. */
  const caller = async (req: FastifyRequest): Promise<'esb' | string | null> => {
    if (fromEsb(ctx, req)) return 'esb';
    const c = await ctx.tokens.check((req.query as Q).bk_token);
    return c.ok ? c.username : null;
  };

  for (const v of [1, 2] as const) {
    const ok = <T>(d: T) => (v === 1 ? v1Ok(d) : v2Ok(d));
    const badToken = () =>
      v === 1 ? v1Fail(V1.INVALID_TOKEN, BAD_TOKEN) : v2Fail(V2.INVALID_TOKEN, BAD_TOKEN);
    const noUser = (n: string) =>
      v === 1
        ? v1Fail(V1.USER_NOT_FOUND, `No user named ${n}`)
        : v2Fail(V2.USER_NOT_FOUND, `No user named ${n}`);
    const badParam = (m: string) => (v === 1 ? v1Fail(V1.PARAM_ERROR, m) : v2Fail(V2.PARAM_ERROR, m));
    const shape = (u: User): object => (v === 1 ? v1User(u) : v2User(u));
    const [isLogin, getUser, getAll, getBatch] =
      v === 1
        ? [
            '/accounts/is_login/',
            '/accounts/get_user/',
            '/accounts/get_all_user/',
            '/accounts/get_batch_user/',
          ]
        : ['/api/v2/is_login/', '/api/v2/get_user/', '/api/v2/get_all_users/', '/api/v2/get_batch_users/'];
    const nameKey = v === 1 ? 'username' : 'bk_username';
    const roleKey = v === 1 ? 'role' : 'bk_role';
    const listKey = v === 1 ? 'username_list' : 'bk_username_list';

    app.get(isLogin!, async (req) => {
      const c = await ctx.tokens.check((req.query as Q).bk_token);
      return c.ok ? ok({ [nameKey]: c.username }) : badToken();
    });

    app.get(getUser!, async (req) => {
      const who = await caller(req);
      if (!who) return badToken();
      const name = who === 'esb' ? (req.query as Q)[nameKey] : who;
      if (!name) return badParam(`${nameKey} is required for calls from ESB`);
      const u = await findUser(ctx.db, { username: name });
      return u ? ok(shape(u)) : noUser(name);
    });

    app.get(getAll!, async (req) => {
      if (!(await caller(req))) return badToken();
      const r = (req.query as Q)[roleKey];
      if (r !== undefined && r !== '' && !/^[0-4]$/.test(r))
        return badParam(`${roleKey} must be 0 to 4, got ${r}`);
      const { users } = await listUsers(ctx.db, { role: r ? Number(r) : undefined });
      return ok(users.map(shape));
    });

    app.post(getBatch!, async (req) => {
      if (!(await caller(req))) return badToken();
      const body = (req.body ?? {}) as Record<string, unknown>;
      const names = listParam(body[listKey] ?? (req.query as Q)[listKey]);
      if (!names) return badParam(`${listKey} must be a list of usernames`);
      const { users } = await listUsers(ctx.db, { usernames: names.slice(0, 1000) });
      return ok(Object.fromEntries(users.map((u) => [u.username, shape(u)])));
    });
  }
}
