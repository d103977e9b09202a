import { describe, expect, it } from 'vitest';
import type { ChannelRow, SystemRow } from '../catalog/types';
import type { Component } from '../components/types';
import { compilePattern, fillTemplate, matchPattern, normalisePath } from './path';
import { Router } from './router';

const comp = (path: string, over: Partial<Component> = {}): Component => ({
  codename: `generic.v2.x.${path.replace(/\W/g, '')}`,
  system: 'X',
  name: 'n',
  label: 'l',
  labelEn: '',
  apiType: 'query',
  method: 'GET',
  path,
  userAuth: true,
  isHidden: false,
  confapi: false,
  doc: {},
  handle: async () => ({ result: true, data: null }),
  ...over,
});
const sys: SystemRow = { id: 1, name: 'X', label: '', remark: '', execute_timeout: 20, query_timeout: 10 };
const chan = (path: string, over: Partial<ChannelRow> = {}): ChannelRow => ({
  id: 9,
  name: 'c',
  path,
  method: 'GET',
  component_system_id: 1,
  component_codename: 'generic.v2.x.v2xa',
  component_name: 'a',
  is_active: 1,
  timeout_time: null,
  type: 2,
  is_hidden: 0,
  perm_level: 0,
  rate_limit_required: 0,
  rate_limit_conf: null,
  ...over,
});

describe('paths', () => {
  it.each([
    ['v2/x/a', '/v2/x/a/'],
    ['/v2/x/a/', '/v2/x/a/'],
    ['//v2//x/a', '/v2/x/a/'],
    ['', '/'],
  ])('normalises %s', (i, o) => expect(normalisePath(i)).toBe(o));
  it('matches {var} templates and fills destination templates', () => {
    const p = compilePattern('/v2/s/get/{a}/{b_c}/');
    expect(matchPattern(p, '/v2/s/get/1/x%20y/')).toEqual({ a: '1', b_c: 'x y' });
    expect(matchPattern(p, '/v2/s/get/1/')).toBeUndefined();
    expect(matchPattern(compilePattern('/v2/a.b/{x}/'), '/v2/aXb/1/')).toBeUndefined();
    expect(fillTemplate('/d/{a}/{b}', { a: 1, b: 'x/y' })).toBe('/d/1/x%2Fy');
    expect(() => fillTemplate('/d/{a}', {})).toThrow(/path parameter a is required/);
  });
});

describe('Router', () => {
  it('serves GET and POST only, preferring DB channels, then built-ins, then declarative exact and patterns', () => {
    const a = comp('/v2/x/a/', { codename: 'generic.v2.x.v2xa' });
    const conf = comp('/v2/x/t/{id}/', { confapi: true });
    const r = new Router([chan('/v2/x/a/', { timeout_time: 3 })], [sys], [a], [conf]);
    expect(r.resolve('GET', 'v2/x/a')?.route).toMatchObject({
      state: 'ok',
      timeoutMs: 3000,
      channel: { id: 9 },
    });
    expect(r.resolve('PUT', '/v2/x/a/')).toBeUndefined();
    expect(r.resolve('GET', '/v2/x/t/5/')).toMatchObject({
      route: { component: conf, timeoutMs: 10_000 },
      vars: { id: '5' },
    });
    expect(r.resolve('GET', '/v2/x/none/')).toBeUndefined();
  });
  it('marks inactive channels and channels whose component is missing; timeouts fall back to the system, then 30 s', () => {
    const r = new Router(
      [
        chan('/v2/x/off/', { is_active: 0 }),
        chan('/v2/x/gone/', { id: 10, component_codename: 'nope', type: 1 }),
      ],
      [sys],
      [comp('/v2/x/off/', { codename: 'generic.v2.x.v2xa' }), comp('/v2/y/q/', { system: 'Y' })],
      [],
    );
    expect(r.resolve('GET', '/v2/x/off/')?.route.state).toBe('inactive');
    expect(r.resolve('POST', '/v2/x/gone/')?.route).toMatchObject({ state: 'missing', timeoutMs: 20_000 });
    expect(r.resolve('GET', '/v2/y/q/')?.route.timeoutMs).toBe(30_000);
  });
  it('compiles rate-limit rules and reports bad ones', () => {
    const good = '{"app_ratelimit": {"__default": [{"tokens": 5, "minute": 2}]}}';
    const r = new Router(
      [
        chan('/v2/x/a/', { rate_limit_required: 1, rate_limit_conf: good }),
        chan('/v2/x/b/', {
          id: 11,
          rate_limit_required: 1,
          rate_limit_conf: '{"app_ratelimit": {"__default": [{"tokens": 0, "minute": 1}]}}',
        }),
      ],
      [sys],
      [comp('/v2/x/a/', { codename: 'generic.v2.x.v2xa' })],
      [],
    );
    expect(r.resolve('GET', '/v2/x/a/')?.route.rate?.get('__default')).toEqual([
      { tokens: 5, periodSec: 120 },
    ]);
    expect(r.warnings[0]).toMatch(
      /\/v2\/x\/b\/: rate_limit_conf ignored: app_ratelimit.__default\[0\].tokens: expected a positive integer/,
    );
  });
});
