import { describe, expect, it } from 'vitest';
import { runWith, setDefaultLocale } from '../../common/i18n';
import { effectiveRole, RULES, validate } from './validate';

setDefaultLocale({ lang: 'en' }); // messages below in English; one check in Chinese

describe('user field rules', () => {
  it('speaks the request language', () =>
    expect(runWith({ lang: 'zh-CN', timeZone: 'UTC' }, () => RULES.username('a'))).toMatch(/^用户名：/));
  it.each(['admin', 'a.b_c', 'user1234', 'A1b2', 'x'.repeat(20)])('accepts username %s', (u) =>
    expect(RULES.username(u)).toBeNull(),
  );
  it.each(['abc', '_abc', 'abc.', 'a-bc', 'x'.repeat(21), 'ab cd', 'ü123'])('rejects username %s', (u) =>
    expect(RULES.username(u)).toMatch(/^Username/),
  );
  it.each(['Blueking1', 'aB3!@#$%', 'Aa1' + 'x'.repeat(17)])('accepts password %s', (p) =>
    expect(RULES.password(p)).toBeNull(),
  );
  it.each(['blueking1', 'BLUEKING1', 'Blueking', 'Ab1', 'Aa1' + 'x'.repeat(18), 'Blueking1&', 'Blue king1'])(
    'rejects password %s',
    (p) => expect(RULES.password(p)).toMatch(/^Password/),
  );
  it('chname, phone, email, role', () => {
    expect(RULES.chname('张三')).toBeNull();
    expect(RULES.chname('dev_1')).toBeNull();
    expect(RULES.chname('')).toMatch(/Display name/);
    expect(RULES.chname('a b')).toMatch(/Display name/);
    expect(RULES.phone('13800138000')).toBeNull();
    expect(RULES.phone('1380013800')).toMatch(/11 digits/);
    expect(RULES.email('a@b.co')).toBeNull();
    expect(RULES.email('nope')).toMatch(/Email/);
    expect(RULES.role('5')).toMatch(/Role/);
    expect(validate({ username: 'good1', phone: '1' })).toMatch(/Phone/);
  });
  it('the effective role is the highest by priority', () => {
    expect(effectiveRole([0, 2])).toBe(2);
    expect(effectiveRole([2, 1])).toBe(1);
    expect(effectiveRole([4, 3])).toBe(3);
    expect(effectiveRole([])).toBe(0);
  });
});
