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
});
