import { describe, expect, it } from 'vitest';
import { toQuery } from '../forward/headers';
import { formEncode, parseQuery } from './query';

const viaUsp = (text: string) => Object.fromEntries(new URLSearchParams(text));
const CHARS = [
  'a',
  'Z',
  '0',
  '=',
  '&',
  '%',
  '+',
  ' ',
  '~',
  '!',
  "'",
  '(',
  '*',
  '.',
  '_',
  '-',
  'é',
  '中',
  '\ud83d\ude00',
  '\ud800',
  '%2',
  '%41',
  '%zz',
  '#',
  '?',
  '/',
];

/** A deterministic pseudo-random string over CHARS. */
function sample(seed: number, len: number): string {
  let x = seed;
  let s = '';
  for (let i = 0; i < len; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    s += CHARS[x % CHARS.length];
  }
  return s;
}

describe('parseQuery and formEncode match URLSearchParams', () => {
  it('parses crafted queries like Object.fromEntries(new URLSearchParams(q))', () => {
    for (const q of [
      '',
      'a=1',
      'a=1&b=2&a=3',
      '&&a&=x&b==2&',
      'x=%20y+z',
      '__proto__=1&b=2',
      'k=%E4%B8%AD',
      'bad=%zz%',
      'c=a=b',
    ])
      expect(parseQuery(q)).toStrictEqual(viaUsp(q));
    expect(Object.getPrototypeOf(parseQuery('__proto__=1'))).toBe(Object.prototype);
  });
  it('parses and encodes 2,000 random strings exactly as URLSearchParams does', () => {
    for (let i = 0; i < 2000; i++) {
      const s = sample(i + 1, i % 17);
      expect(parseQuery(s)).toStrictEqual(viaUsp(s));
      expect(formEncode(s)).toBe(new URLSearchParams({ v: s }).toString().slice(2));
    }
  });
  it('builds query strings like URLSearchParams (objects as JSON, null and undefined skipped)', () => {
    const params = { a: 'x y', b: 1, c: { d: [1, 'é'] }, e: null, f: undefined, "g'!": '~*' };
    const q = new URLSearchParams();
    q.append('a', 'x y');
    q.append('b', '1');
    q.append('c', JSON.stringify({ d: [1, 'é'] }));
    q.append("g'!", '~*');
    expect(toQuery(params)).toBe(`?${q}`);
    expect(toQuery({})).toBe('');
  });
});
