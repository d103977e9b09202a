/** A tiny cookie-keeping HTTP client for API and form tests (no redirects followed). */
export class Client {
  readonly jar = new Map<string, string>();
  constructor(readonly base: string) {}

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async req(
    path: string,
    init: {
      method?: string;
      form?: Record<string, string>;
      json?: unknown;
      headers?: Record<string, string>;
    } = {},
  ) {
    const headers: Record<string, string> = { ...init.headers };
    if (this.jar.size) headers.cookie = this.cookieHeader();
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const res = await fetch(this.base + path, {
      method: init.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
      redirect: 'manual',
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/Max-Age=0/.test(c) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    const text = await res.text();
    return {
      status: res.status,
      location: res.headers.get('location'),
      text,
      headers: res.headers,
      json: () => JSON.parse(text),
    };
  }

  /** The CSRF token embedded in a page's form. */
  static csrf(htmlText: string): string {
    const m = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(htmlText);
    if (!m) throw new Error('no CSRF field in the page');
    return m[1]!;
  }

  /** GET a page, then POST `form` to `action` with the page's CSRF token. */
  async submit(pagePath: string, action: string, form: Record<string, string>) {
    const page = await this.req(pagePath);
    return this.req(action, { form: { csrfmiddlewaretoken: Client.csrf(page.text), ...form } });
  }

  /** Sign in through login's form at `loginPath` (`/` direct, `/login/` behind nginx). */
  async signIn(username: string, password: string, loginPath = '/', cUrl?: string) {
    const q = cUrl === undefined ? '' : `?c_url=${encodeURIComponent(cUrl)}`;
    return this.submit(loginPath + q, loginPath + q, { username, password });
  }
}
