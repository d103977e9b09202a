import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/config';
import { type Guard, guardedRoutes, guardFor, guardRoutes, PUBLIC, principal, setPrincipal } from './guard';
import { createApp } from './server';

const config = parseConfig(
  {
    db: { host: 'db', user: 'u', password: 'p' },
    redis: { host: 'r' },
    domains: { PAAS_DOMAIN: 'p.bking.com', PAAS_INNER_DOMAIN: 'p.bking.com', BK_COOKIE_DOMAIN: '.bking.com' },
    secrets: { SECRET_KEY: 'k'.repeat(20), ESB_TOKEN: 't'.repeat(20) },
  },
  't',
);

/** `key` header must be `open-sesame`; the guard records who came in. */
const keyed: Guard = async (req, reply) => {
  if (req.headers.key === 'open-sesame') {
    setPrincipal(req, 'keyholder');
    return true;
  }
  await reply.code(403).send({ result: false, message: 'no key' });
  return false;
};

const app = createApp({
  program: 'appengine',
  config,
  log: false,
  guards: {
    guards: { keyed },
    routes: { '/v1/*': 'keyed', '/v1/open/': PUBLIC, '/': PUBLIC },
  },
});
let handled = 0;
app.get('/', async () => 'home');
app.get<{ Params: { code: string } }>('/v1/apps/:code/', async (req) => {
  handled++;
  return { who: principal(req), code: req.params.code };
});
app.post('/v1/apps/', async () => {
  handled++;
  return { made: true };
});
app.get('/v1/open/', async () => 'open');
app.get('/other/', { config: { auth: 'keyed' } }, async () => 'other');
app.register(async (scope) => scope.get('/v1/mounted/', async () => 'mounted'), { prefix: '/login' });
afterAll(() => app.close());

describe('route guards', () => {
  it('lets the key holder in and hands the principal to the handler', async () => {
    const r = await app.inject({ url: '/v1/apps/demo/', headers: { key: 'open-sesame' } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ who: 'keyholder', code: 'demo' });
  });

  // Each of these reaches the /v1/apps/:code/ route (the router decodes and normalises) or none.
  it.each([
    '/v1/apps/demo/',
    '/%761/apps/demo/',
    '/%76%31/apps/demo/',
    '/v1/%61pps/demo/',
    '/v1/apps/%64emo/',
    '//v1/apps/demo/',
    '/v1//apps/demo/',
    '/v1/apps//demo/',
    '/v1%2Fapps/demo/',
    '/v1/apps%2Fdemo/',
    '/x/../v1/apps/demo/',
    '/v1/./apps/demo/',
    '/%2e%2e/v1/apps/demo/',
    '/v1/apps/demo/?x=/v1/open/',
    '/v1/open/../apps/demo/',
    '/V1/apps/demo/',
    '/v1/apps/demo',
  ])('refuses %s without the key, and the handler never runs', async (url) => {
    const before = handled;
    for (const method of ['GET', 'HEAD'] as const) {
      const r = await app.inject({ method, url });
      expect(r.statusCode === 403 || r.statusCode === 404, `${method} ${url} → ${r.statusCode}`).toBe(true);
    }
    expect(handled).toBe(before);
  });

  it('guards other methods, explicit config, and routes under a mount prefix', async () => {
    const before = handled;
    expect((await app.inject({ method: 'POST', url: '/%761/apps/', payload: {} })).statusCode).toBe(403);
    expect((await app.inject({ url: '/other/' })).statusCode).toBe(403);
    expect((await app.inject({ url: '/other/', headers: { key: 'open-sesame' } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/login/v1/mounted/' })).statusCode).toBe(403);
    expect((await app.inject({ url: '/v1/open/' })).statusCode).toBe(200);
    expect(handled).toBe(before);
  });

  it('lists every route with its guard, house routes public', () => {
    const seen = guardedRoutes(app).map((r) => `${r.method} ${r.url} ${r.guard}`);
    expect(seen).toEqual(
      expect.arrayContaining([
        'GET /static/:name public',
        'GET /v1/apps/:code/ keyed',
        'HEAD /v1/apps/:code/ keyed',
        'POST /v1/apps/ keyed',
        'GET /v1/open/ public',
        'GET /other/ keyed',
        'GET /login/v1/mounted/ keyed',
      ]),
    );
  });

  it('refuses to register a route without a guard or with an unknown one', async () => {
    const bare = Fastify();
    guardRoutes(bare, { guards: {}, routes: { '/ok/*': PUBLIC } });
    bare.get('/ok/x/', async () => 1);
    expect(() => bare.get('/admin/', async () => 1)).toThrow(/GET \/admin\/: no guard declared/);
    expect(() => bare.get('/x/', { config: { auth: 'nope' } }, async () => 1)).toThrow(
      /unknown guard "nope"/,
    );
    await bare.close();
  });

  it('picks the longest match, exact beating a prefix of the same length', () => {
    const t = { '/a/*': 'p', '/a/b/*': 'q', '/a/b/': 'r', '/': 's' };
    expect(guardFor(t, '/a/x/')).toBe('p');
    expect(guardFor(t, '/a/b/c/')).toBe('q');
    expect(guardFor(t, '/a/b/')).toBe('r');
    expect(guardFor(t, '/')).toBe('s');
    expect(guardFor(t, '/b/')).toBeUndefined();
  });
});
