// A deployed platform from a test's side: the front door with a cookie jar (sign in, forms with
// their CSRF token) and ESB calls, as a browser and an app would make them.
import { rawRequest } from './paths';

export class Front {
  readonly jar = new Map<string, string>();
  constructor(
    readonly base: string,
    readonly fqdn: string,
  ) {}

  async req(method: string, path: string, form?: Record<string, string>) {
    const headers: Record<string, string> = { host: this.fqdn };
    if (this.jar.size) headers.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const body = form ? new URLSearchParams(form).toString() : undefined;
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const r = await rawRequest(this.base, method, path, headers, body);
    const set = r.headers['set-cookie'];
    for (const c of Array.isArray(set) ? set : set ? [set] : []) {
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      const v = pair.slice(eq + 1);
      if (/Max-Age=0/.test(c) || v === '') this.jar.delete(pair.slice(0, eq));
      else this.jar.set(pair.slice(0, eq), v);
    }
    return r;
  }

  /** GET `page`, then POST `form` to `action` with the page's CSRF token. */
  async submit(page: string, action: string, form: Record<string, string>) {
    const text = (await this.req('GET', page)).text;
    const csrf = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(text)?.[1] ?? '';
    return this.req('POST', action, { csrfmiddlewaretoken: csrf, ...form });
  }

  /** Status of the login form's answer: 302 when the password was right. */
  async signIn(user: string, pw: string): Promise<number> {
    return (await this.submit('/login/', '/login/', { username: user, password: pw })).status;
  }

  /** ESB `bk_login/get_user` as app `code` with `secret`, for a user by bk_token or (whitelisted apps) bk_username. */
  async esbGetUser(
    code: string,
    secret: string,
    user: { bk_token: string } | { bk_username: string },
  ): Promise<{ result: boolean; message: string }> {
    const q = new URLSearchParams({ bk_app_code: code, bk_app_secret: secret, ...user });
    const r = await rawRequest(this.base, 'GET', `/api/c/compapi/v2/bk_login/get_user/?${q}`, {
      host: this.fqdn,
    });
    return JSON.parse(r.text);
  }
}
