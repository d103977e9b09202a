import { describe, expect, it } from 'vitest';
import { safeRedirect } from './redirect';

const F = '/login/accounts/user/list/';
describe('safeRedirect', () => {
  it.each([
    ['/console/', '/console/'],
    ['/app/list/?x=1', '/app/list/?x=1'],
    ['http://paas.bking.com/o/app/', 'http://paas.bking.com/o/app/'],
    ['https://cmdb.bking.com/', 'https://cmdb.bking.com/'],
    ['http://bking.com/', 'http://bking.com/'],
  ])('allows %s', (t, want) => expect(safeRedirect(t, '.bking.com', F)).toBe(want));
  it.each([
    '//evil.com',
    '//evil.com/path',
    '/\\evil.com',
    'http://evil.com',
    'https://evil.com/x',
    'http://bking.com.evil.com/',
    'http://evilbking.com/',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'http://paas.bking.com@evil.com/',
    'http://user:pw@paas.bking.com/',
    'ftp://paas.bking.com/',
    ' http://evil.com',
    '/\tevil',
    'http:\\\\evil.com',
    'evil.com',
    '',
  ])('refuses %j', (t) => expect(safeRedirect(t, '.bking.com', F)).toBe(F));
  it('falls back when absent', () => expect(safeRedirect(undefined, '.bking.com', F)).toBe(F));
  it("allows the platform's own PAAS_DOMAIN outside the cookie domain, exactly", () => {
    const own = ['paas.example.org:8080'];
    expect(safeRedirect('http://paas.example.org:8080/o/app/', '.bking.com', F, own)).toBe(
      'http://paas.example.org:8080/o/app/',
    );
    expect(safeRedirect('http://paas.example.org/o/app/', '.bking.com', F, ['paas.example.org'])).toBe(
      'http://paas.example.org/o/app/',
    );
    for (const t of [
      'http://evil.example.org:8080/',
      'http://paas.example.org.evil.com:8080/',
      'http://example.org/',
    ])
      expect(safeRedirect(t, '.bking.com', F, own)).toBe(F);
  });
});
