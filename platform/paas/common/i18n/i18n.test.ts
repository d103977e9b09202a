import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/config';
import { createApp } from '../http/server';
import { formatDateTime, runWith, t } from './context';
import { translate } from './format';
import { safeNext } from './http';
import { fromAcceptLanguage, negotiate, normalizeLang } from './lang';

describe('language negotiation', () => {
  it('normalizes the spellings BlueKing apps and browsers use', () => {
    for (const s of ['zh-cn', 'zh_CN', 'zh-hans', 'zh-Hans-CN', 'ZH', 'zh-TW'])
      expect(normalizeLang(s)).toBe('zh-CN');
    for (const s of ['en', 'en-US', 'EN_gb']) expect(normalizeLang(s)).toBe('en');
    for (const s of ['', 'fr', '*', 'english', 'zhx', undefined]) expect(normalizeLang(s)).toBeUndefined();
  });
  it('reads Accept-Language by q value, then order, skipping q=0 and unknown tags', () => {
    expect(fromAcceptLanguage('fr-FR,fr;q=0.9,en-US;q=0.8,zh-CN;q=0.7')).toBe('en');
    expect(fromAcceptLanguage('en;q=0.5, zh-CN')).toBe('zh-CN');
    expect(fromAcceptLanguage('zh;q=0, en;q=0.1')).toBe('en');
    expect(fromAcceptLanguage('de, fr')).toBeUndefined();
    expect(fromAcceptLanguage('*')).toBeUndefined();
    expect(fromAcceptLanguage(`${'x,'.repeat(5000)}en`)).toBeUndefined(); // bounded work
  });
  it('cookie beats Accept-Language beats the platform default', () => {
    expect(negotiate({ cookie: 'en', acceptLanguage: 'zh-CN', fallback: 'zh-CN' })).toBe('en');
    expect(negotiate({ cookie: 'klingon', acceptLanguage: 'en', fallback: 'zh-CN' })).toBe('en');
    expect(negotiate({ acceptLanguage: 'de', fallback: 'en' })).toBe('en');
    expect(negotiate({})).toBe('zh-CN');
  });
});

describe('messages', () => {
  it('fills placeholders, plurals and numbers per language', () => {
    expect(translate('en', 'common.error_title', { status: 404 })).toBe('Error 404');
    expect(translate('zh-CN', 'common.error_title', { status: 404 })).toBe('错误 404');
    expect(translate('en', 'users.count', { n: 1 })).toBe('1 user');
    expect(translate('en', 'users.count', { n: 1234 })).toBe('1,234 users');
    expect(translate('zh-CN', 'users.count', { n: 1234 })).toBe('共 1,234 个用户');
  });
  it('formats dates in the locale time zone, inside runWith', () => {
    const d = new Date('2026-03-01T23:30:05Z');
    expect(runWith({ lang: 'en', timeZone: 'UTC' }, () => formatDateTime(d))).toBe('03/01/2026, 23:30:05');
    expect(runWith({ lang: 'zh-CN', timeZone: 'Asia/Shanghai' }, () => formatDateTime(d))).toBe(
      '2026/03/02 07:30:05',
    );
    expect(runWith({ lang: 'zh-CN', timeZone: 'UTC' }, () => t('common.brand'))).toBe('蓝鲸 PaaS');
  });
});

describe('language switch', () => {
  const config = parseConfig(
    {
      db: { host: 'db', user: 'u', password: 'p' },
      redis: { host: 'r' },
      domains: {
        PAAS_DOMAIN: 'p.bking.com',
        PAAS_INNER_DOMAIN: 'p.bking.com',
        BK_COOKIE_DOMAIN: '.bking.com',
      },
      secrets: { SECRET_KEY: 'k'.repeat(20), ESB_TOKEN: 't'.repeat(20) },
    },
    't',
  );
  it('defaults to Chinese for a new platform', () => expect(config.i18n.language).toBe('zh-cn'));

  it('login pages switch through /login/ (its prefix behind nginx) and come back there', async () => {
    const opts = {
      program: 'login',
      config,
      log: false,
      guards: { guards: {}, routes: { '/*': 'public' } },
    } as const;
    const app = createApp(opts);
    try {
      const r = await app.inject({ method: 'GET', url: '/nope?x=1' });
      expect(r.body).toContain('action="/login/i18n/setlang/"');
      expect(r.body).toContain('name="next" value="/login/nope?x=1"');
      expect(r.body).toContain('href="/login/static/bkcec.css"');
    } finally {
      await app.close();
    }
  });

  it('sets blueking_language on the cookie domain and goes back only to same-site paths', async () => {
    // a variable, not a literal: createApp's options are growing a guard table (http/guard.ts)
    const opts = {
      program: 'paas',
      config,
      log: false,
      guards: { guards: {}, routes: { '/*': 'public' } },
    } as const;
    const app = createApp(opts);
    try {
      const post = (body: string) =>
        app.inject({
          method: 'POST',
          url: '/i18n/setlang/',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: body,
        });
      const r = await post('language=en&next=%2Fapp%2Flist%2F%3Fa%3D1');
      expect(r.statusCode).toBe(303);
      expect(r.headers.location).toBe('/app/list/?a=1');
      const c = String(r.headers['set-cookie']);
      expect(c).toMatch(/^blueking_language=en; Path=\/; Domain=\.bking\.com; Max-Age=31536000;/);
      expect(c).not.toContain('HttpOnly'); // apps' front ends read it
      expect(String((await post('language=zh-hans')).headers['set-cookie'])).toMatch(
        /^blueking_language=zh-cn;/,
      );
      expect((await post('language=%0d%0aSet-Cookie:x')).headers['set-cookie']).toBeUndefined();
      for (const evil of [
        '//evil.com/',
        '/\\evil.com',
        'https://evil.com/',
        '/%0d%0a',
        '\\\\evil',
        'javascript:alert(1)',
      ])
        expect((await post(`language=en&next=${encodeURIComponent(evil)}`)).headers.location, evil).toBe(
          evil === '/%0d%0a' ? '/%0d%0a' : '/',
        );
      expect(safeNext('/ok\r\nx')).toBe('/');
      // the error page follows the cookie, then Accept-Language, then the default
      const get = (headers: Record<string, string>) => app.inject({ method: 'GET', url: '/nope', headers });
      expect((await get({})).body).toContain('<html lang="zh-CN">');
      expect((await get({})).body).toContain('/nope 页面不存在');
      expect((await get({ 'accept-language': 'en-US,en;q=0.9' })).body).toContain('no page at /nope');
      const en = await get({ 'accept-language': 'zh-CN', cookie: 'blueking_language=en' });
      expect(en.body).toContain('<html lang="en">');
      expect(en.body).toContain('name="next" value="/nope"');
      expect(en.body).toContain('<form class="lang" method="post" action="/i18n/setlang/"');
      // Fastify's own request errors read in the page language too
      const bad = await app.inject({
        method: 'POST',
        url: '/i18n/setlang/',
        headers: { 'content-type': 'application/json' },
        payload: '{',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('请求格式错误');
      const odd = await app.inject({
        method: 'POST',
        url: '/i18n/setlang/',
        headers: { 'content-type': 'text/x-odd', 'accept-language': 'en' },
        payload: 'x',
      });
      expect(odd.statusCode).toBe(415);
      expect(odd.body).toContain('This content type is not accepted');
    } finally {
      await app.close();
    }
  });
});
