import type { PaasConfig } from '../../common/config/config';
import { fetchJson } from '../../common/http/client';

/** A signed-in user as paas sees it (from login's get_user, v1 shape). */
export interface PaasUser {
  username: string;
  chname: string;
  phone: string;
  email: string;
  role: number;
  isSuperuser: boolean;
  isDeveloper: boolean;
}

interface V1User {
  username: string;
  chname: string;
  phone: string;
  email: string;
  role: string;
}
interface V1<T> {
  result: boolean;
  code: string;
  message: string;
  data: T;
}

const MAX_ENTRIES = 10_000;

/**
 * Asks login who holds a bk_token (`GET /accounts/get_user/`, which validates the token) and
 * caches the answer in memory for `ttlMs`; `forget` drops a token at logout.
 */
export class LoginClient {
  private readonly cache = new Map<string, { user: PaasUser | null; until: number }>();
  constructor(
    private readonly config: PaasConfig,
    readonly ttlMs = 10_000,
  ) {}

  /** The user for the token, or null when login says it is invalid. Throws if login is down. */
  async user(token: string | undefined): Promise<PaasUser | null> {
    if (!token) return null;
    const hit = this.cache.get(token);
    if (hit && hit.until > Date.now()) return hit.user;
    const r = await fetchJson<V1<V1User>>(
      `${this.config.urls.login}/accounts/get_user/?bk_token=${encodeURIComponent(token)}`,
      {
        timeoutMs: 3_000,
      },
    );
    const d = r.body.data;
    const user =
      r.body.result && r.body.code === '00'
        ? {
            username: d.username,
            chname: d.chname,
            phone: d.phone,
            email: d.email,
            role: Number(d.role),
            isSuperuser: d.role === '1',
            isDeveloper: d.role === '1' || d.role === '2',
          }
        : null;
    if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(token, { user, until: Date.now() + this.ttlMs });
    return user;
  }

  /** Drop a cached token (logout). */
  forget(token: string | undefined): void {
    if (token) this.cache.delete(token);
  }

  /** Which of `usernames` exist in login (ESB-header bulk lookup). */
  async existing(usernames: readonly string[]): Promise<Set<string>> {
    if (usernames.length === 0) return new Set();
    const r = await fetchJson<V1<Record<string, unknown>>>(
      `${this.config.urls.login}/accounts/get_batch_user/`,
      {
        method: 'POST',
        headers: { 'x-app-code': 'esb', 'x-app-token': this.config.secrets.ESB_TOKEN },
        json: { username_list: usernames },
      },
    );
    if (!r.body.result) throw new Error(`login get_batch_user failed: ${r.body.message}`);
    return new Set(Object.keys(r.body.data));
  }
}
