import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/config';
import { parseCookies, serializeCookie } from './cookies';
import { registerHealthz } from './healthz';
import { createApp } from './server';

const config = parseConfig(
  {
    db: { host: 'db', user: 'u', password: 'p' },
    redis: { host: 'r' },
    domains: { PAAS_DOMAIN: 'p.bking.com', PAAS_INNER_DOMAIN: 'p.bking.com', BK_COOKIE_DOMAIN: '.bking.com' },
    secrets: { SECRET_KEY: 'k'.repeat(20), ESB_TOKEN: 't'.repeat(20) },
    i18n: { language: 'en' },
  },
  't',
);
const app = createApp({
  program: 'login',
  config,
  log: false,
  guards: { guards: {}, routes: { '/*': 'public' } },
});
registerHealthz(app, ['/healthz/'], { database: async () => 1 });
registerHealthz(app, ['/bad/'], {
  database: async () => 1,
  redis: () => Promise.reject(new Error('refused')),
});
registerHealthz(app, ['/slow/'], { redis: () => new Promise(() => {}) }, 50);
registerHealthz(app, ['/advisory/'], { database: async () => 1 }, undefined, {
  agents: () => Promise.reject(new Error('agents not answering: tapp 10.0.0.9')),
});
app.post('/echo', async (req) => req.body);
app.get('/boom', async () => {
  throw new Error('secret detail');
});
afterAll(() => app.close());

describe('http server', () => {
  it('serves the stylesheet and security headers', async () => {
    const r = await app.inject({ url: '/static/bkcec.css' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/css/);
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect((await app.inject({ url: '/static/nope.js' })).statusCode).toBe(404);
  });
  it('parses urlencoded forms', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/echo',
      payload: 'a=1&b=x%20y',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(r.json()).toEqual({ a: '1', b: 'x y' });
  });
  it('answers errors as JSON or HTML without internals', async () => {
    const j = await app.inject({ url: '/boom', headers: { accept: 'application/json' } });
    expect(j.statusCode).toBe(500);
    expect(j.json()).toEqual({ result: false, message: 'internal error, see the server log', data: null });
    const h = await app.inject({ url: '/nope', headers: { accept: 'text/html' } });
    expect(h.statusCode).toBe(404);
    expect(h.body).toContain('no page at /nope');
    expect(h.headers['content-security-policy']).toContain("default-src 'self'");
  });
  it('healthz reports each check', async () => {
    const ok = await app.inject({ url: '/healthz/' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({
      result: true,
      bk_error_code: 0,
      bk_error_msg: 'OK',
      data: { settings: 'ok', database: 'ok' },
    });
    const bad = await app.inject({ url: '/bad/' });
    expect(bad.statusCode).toBe(503);
    expect(bad.json()).toMatchObject({
      result: false,
      bk_error_code: 1302000,
      data: { database: 'ok', redis: 'error: refused' },
    });
    const slow = await app.inject({ url: '/slow/' });
    expect(slow.json().data.redis).toBe('error: redis did not answer within 50 ms');
    // An advisory check is reported but keeps the program healthy.
    const advisory = await app.inject({ url: '/advisory/' });
    expect(advisory.statusCode).toBe(200);
    expect(advisory.json()).toMatchObject({
      result: true,
      data: { database: 'ok', agents: 'error: agents not answering: tapp 10.0.0.9' },
    });
  });
  it('cookies parse and serialize', () => {
    expect(parseCookies('a=1; b="x%20y"; a=2; bad')).toEqual({ a: '1', b: 'x y' });
    const c = serializeCookie('bk_token', 'v', { domain: '.bking.com', maxAge: 60, secure: true });
    expect(c).toMatch(
      /^bk_token=v; Path=\/; Domain=\.bking\.com; Max-Age=60; Expires=.+; HttpOnly; SameSite=Lax; Secure$/,
    );
  });
});
