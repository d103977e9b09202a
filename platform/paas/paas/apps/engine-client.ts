import type { PaasConfig } from '../../common/config/config';
import { fetchJson } from '../../common/http/client';

/** Calls to appengine on behalf of paas (reference §3.3). */
export class EngineClient {
  constructor(private readonly config: PaasConfig) {}

  /**
   * Register the app (`POST /v1/apps/`, up to 5 tries) and return its secret token; `newSecret`
   * (a newly created app) never inherits a token left by a deleted app of the same code.
   */
  async register(app: {
    code: string;
    name: string;
    language: string;
    newSecret?: boolean;
  }): Promise<string> {
    let last: unknown;
    for (let i = 0; i < 5; i++) {
      try {
        const r = await fetchJson<{ result: boolean; message: string; data: { token: string } | null }>(
          `${this.config.urls.appengine}/v1/apps/`,
          {
            method: 'POST',
            headers: { 'x-app-code': 'bk_paas', 'x-app-token': this.config.secrets.ESB_TOKEN },
            json: {
              app_code: app.code,
              name: app.name,
              app_lang: app.language,
              new_secret: app.newSecret === true,
            },
          },
        );
        if (r.body.result && r.body.data?.token) return r.body.data.token;
        throw new Error(`appengine refused the registration (HTTP ${r.status}): ${r.body.message}`);
      } catch (e) {
        last = e;
        if (/refused the registration \(HTTP 4/.test((e as Error).message)) break;
        await new Promise((res) => setTimeout(res, 200 * (i + 1)));
      }
    }
    throw last;
  }

  /**
   * The app was deleted: appengine drops its database, MySQL account and Celery brokers
   * (`DELETE /v1/apps/<code>/database/`). An app appengine never knew has none.
   */
  async dropResources(code: string): Promise<void> {
    const r = await fetchJson<{ result: boolean; message: string }>(
      `${this.config.urls.appengine}/v1/apps/${encodeURIComponent(code)}/database/`,
      {
        method: 'DELETE',
        headers: { 'x-app-code': 'bk_paas', 'x-app-token': this.config.secrets.ESB_TOKEN },
      },
    );
    if (r.status === 404 || r.body.result) return;
    throw new Error(`appengine could not drop the app's database (HTTP ${r.status}): ${r.body.message}`);
  }

  /** A new secret for the app (`POST /v1/apps/<code>/secret/`); the old one is void. */
  async rotate(code: string): Promise<string> {
    const r = await fetchJson<{ result: boolean; message: string; data: { token: string } | null }>(
      `${this.config.urls.appengine}/v1/apps/${encodeURIComponent(code)}/secret/`,
      {
        method: 'POST',
        headers: { 'x-app-code': 'bk_paas', 'x-app-token': this.config.secrets.ESB_TOKEN },
        json: {},
      },
    );
    if (r.body.result && r.body.data?.token) return r.body.data.token;
    throw new Error(`appengine refused the new secret (HTTP ${r.status}): ${r.body.message}`);
  }
}
