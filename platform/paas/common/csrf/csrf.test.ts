import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/config';
import { createApp } from '../http/server';
import { CSRF_FIELD, checkCsrf, csrfToken } from './csrf';

const config = parseConfig(
  {
    db: { host: 'db', user: 'u', password: 'p' },
    redis: { host: 'r' },
    domains: { PAAS_DOMAIN: 'p.bking.com', PAAS_INNER_DOMAIN: 'p.bking.com', BK_COOKIE_DOMAIN: '.bking.com' },
    secrets: { SECRET_KEY: 'k'.repeat(20), ESB_TOKEN: 't'.repeat(20) },
  },
  't',
);
const opts = { cookieName: 'csrf', secret: 's'.repeat(20), secure: false };
const app = createApp({
  program: 'paas',
  config,
  log: false,
  guards: { guards: {}, routes: { '/*': 'public' } },
});
app.get('/form', async (req, reply) => ({
  token: csrfToken(req, reply, opts, String(req.query && (req.query as Record<string, string>).b)),
}));
app.post('/form', async (req) => ({
  ok: checkCsrf(req, opts, String((req.query as Record<string, string>).b)),
}));
afterAll(() => app.close());

describe('csrf', () => {
  it('accepts the token with its cookie and binding, rejects everything else', async () => {
    const r = await app.inject({ url: '/form?b=tok1' });
    const cookie = String(r.headers['set-cookie']).split(';')[0]!;
    expect(String(r.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Lax/);
    const token = r.json().token as string;
    const post = (b: string, body: Record<string, string>, c = cookie) =>
      app
        .inject({ method: 'POST', url: `/form?b=${b}`, headers: { cookie: c }, payload: body })
        .then((x) => x.json().ok);
    expect(await post('tok1', { [CSRF_FIELD]: token })).toBe(true);
    expect(await post('tok2', { [CSRF_FIELD]: token })).toBe(false);
    expect(await post('tok1', { [CSRF_FIELD]: `${token}x` })).toBe(false);
    expect(await post('tok1', {})).toBe(false);
    expect(await post('tok1', { [CSRF_FIELD]: token }, 'csrf=AAAAAAAAAAAAAAAAAAAAAAAA')).toBe(false);
    expect(await post('tok1', { [CSRF_FIELD]: token }, '')).toBe(false);
    const viaHeader = await app.inject({
      method: 'POST',
      url: '/form?b=tok1',
      headers: { cookie, 'x-csrftoken': token, 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(viaHeader.json().ok).toBe(true);
  });
});
