import { describe, expect, it } from 'vitest';
import { EsbError } from '../codes';
import { credentialsOf, parseInput, without } from './params';

describe('parseInput', () => {
  it('reads the query for GET, JSON for a POST body starting with {, else form fields', () => {
    expect(parseInput('GET', '/p/?a=1&b=2&a=3', 'x=1').params).toEqual({ a: '3', b: '2' });
    expect(parseInput('POST', '/p/?s=1', ' {"a": [1]}').params).toEqual({ s: '1', a: [1] });
    expect(parseInput('POST', '/p/', 'a=1&b=%20x').params).toEqual({ a: '1', b: ' x' });
    expect(parseInput('POST', '/p/?q=1', '').query).toEqual({ q: '1' });
  });
  it('reports bad JSON and non-object JSON as 1306000', () => {
    expect(() => parseInput('POST', '/p/', '{"a":')).toThrow(EsbError);
    expect(() => parseInput('POST', '/p/', '{"a":')).toThrow(/not valid JSON/);
    expect(() => parseInput('POST', '/p/', '[1]')).not.toThrow(); // a form body "[1]" has no fields
  });
  it('reads credentials with the legacy aliases', () => {
    expect(credentialsOf({ app_code: 'a', app_secret: 's', username: 'u', bk_token: 't' })).toEqual({
      appCode: 'a',
      appSecret: 's',
      bkToken: 't',
      username: 'u',
      accessToken: '',
    });
    expect(credentialsOf({ bk_access_token: 'x' }).accessToken).toBe('x');
    expect(credentialsOf({ bk_app_code: 'b', app_code: 'a', bk_username: 'v', username: 'u' })).toMatchObject(
      { appCode: 'b', username: 'v' },
    );
    expect(without({ a: 1, bk_token: 't', bk_app_secret: 's' }, ['bk_token', 'bk_app_secret'])).toEqual({
      a: 1,
    });
  });
});
