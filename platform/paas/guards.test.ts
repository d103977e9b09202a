// Every route of login, appengine and paas is attacked anonymously under every encoded spelling
// of its path: each must be refused, decided on the route the router matched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../test/support/http';
import { type PaasDeps, startPaasDeps } from '../../test/support/paas';
import { concrete, pathVariants, rawRequest, refused } from '../../test/support/paths';
import { type Platform, startPlatform } from '../../test/support/platform';
import { guardedRoutes } from './common/http/guard';
import { hashPassword } from './login/passwords/passwords';
import { createUser } from './login/users/store';

let deps: PaasDeps;
let p: Platform;

beforeAll(async () => {
  deps = await startPaasDeps();
  p = await startPlatform(deps, { loginCacheMs: 0 });
  const hash = await hashPassword('Devpass123');
  await createUser(deps.db, {
    username: 'dev1',
    passwordHash: hash,
    chname: 'd',
    phone: '',
    email: '',
    role: 2,
  });
});
afterAll(async () => {
  await p?.stop();
  await deps?.stop();
});

const programs = ['login', 'appengine', 'paas'] as const;

describe('every protected route refuses anonymous callers, however the path is spelled', () => {
  it.each(programs)('%s', async (name) => {
    // HEAD of an envelope-answering route (`esb`: HTTP 200, result false) has no body to read;
    // its GET twin is attacked instead.
    const routes = guardedRoutes(p.apps[name]).filter(
      (r) => r.guard !== 'public' && !(r.method === 'HEAD' && r.guard === 'esb'),
    );
    expect(routes.length).toBeGreaterThan(3);
    const granted: string[] = [];
    let tried = 0;
    for (const r of routes)
      for (const path of pathVariants(concrete(r.url))) {
        const body = r.method === 'GET' || r.method === 'HEAD' ? undefined : '{}';
        const headers: Record<string, string> = body ? { 'content-type': 'application/json' } : {};
        const res = await rawRequest(p[name], r.method, path, headers, body);
        tried++;
        if (!refused(res))
          granted.push(`${r.method} ${path} (${r.guard}) → ${res.status} ${res.text.slice(0, 80)}`);
      }
    expect(granted).toEqual([]);
    expect(tried).toBeGreaterThan(routes.length * 8);
  });

  it('lets the right credential through the same routes', async () => {
    const platform = { 'x-app-code': 'bk_paas', 'x-app-token': deps.config.secrets.ESB_TOKEN };
    for (const path of ['/v1/agents/', '/%761/agents/'])
      expect(JSON.parse((await rawRequest(p.appengine, 'GET', path, platform)).text).result).toBe(true);
    const l = new Client(p.login);
    expect((await l.signIn('dev1', 'Devpass123')).status).toBe(302);
    const cookie = { cookie: `bk_token=${l.jar.get('bk_token')}` };
    expect((await rawRequest(p.login, 'GET', '/accounts/user/list/', cookie)).status).toBe(200);
    expect((await rawRequest(p.paas, 'GET', '/app/list/', cookie)).status).toBe(200);
    // a developer is signed in but no administrator: admin pages stay closed in every spelling
    for (const path of pathVariants('/admin/esb/'))
      expect(refused(await rawRequest(p.paas, 'GET', path, cookie)), path).toBe(true);
  });
});
