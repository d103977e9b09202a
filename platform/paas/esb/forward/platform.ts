import { upstream } from './upstream';

/** login's and paas's v2 envelope (reference §2.3). */
export interface V2Reply {
  result: boolean;
  bk_error_code: number;
  bk_error_msg: string;
  data: unknown;
}

/** JSON calls to another platform program (login, paas) with the ESB headers `X-APP-CODE: esb`, `X-APP-TOKEN`. */
export class PlatformClient {
  private readonly origin: string;

  constructor(
    baseUrl: string,
    private readonly esbToken: string,
    private readonly timeoutMs = 5_000,
  ) {
    this.origin = new URL(baseUrl).origin;
  }

  /** GET `path` with `query`, or POST `json` when given; the parsed JSON reply. */
  async call<T>(
    path: string,
    query: Record<string, string>,
    json?: unknown,
    timeoutMs = this.timeoutMs,
  ): Promise<T> {
    const qs = new URLSearchParams(query).toString();
    const headers: Record<string, string> = {
      'x-app-code': 'esb',
      'x-app-token': this.esbToken,
      accept: 'application/json',
    };
    if (json !== undefined) headers['content-type'] = 'application/json';
    const body = json === undefined ? undefined : JSON.stringify(json);
    const method = json === undefined ? 'GET' : 'POST';
    const r = await upstream({
      origin: this.origin,
      path: qs ? `${path}?${qs}` : path,
      method,
      headers,
      body,
      timeoutMs,
    });
    try {
      return JSON.parse(r.body.toString('utf8')) as T;
    } catch {
      throw new Error(`${this.origin}${path} answered HTTP ${r.status} with non-JSON`);
    }
  }

  /** The username behind a bk_token per login's v1 `is_login`, or undefined when it is not valid. */
  async usernameOf(bkToken: string): Promise<string | undefined> {
    const r = await this.call<{ result?: boolean; data?: { username?: string } }>(
      '/login/accounts/is_login/',
      { bk_token: bkToken },
    );
    return r.result === true && typeof r.data?.username === 'string' ? r.data.username : undefined;
  }
}
