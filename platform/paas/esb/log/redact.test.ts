import { describe, expect, it } from 'vitest';
import { redact } from './redact';

describe('redact', () => {
  it('hides values of secret-bearing names in query strings, forms and JSON, any case', () => {
    expect(redact('GET /c/compapi/x/?bk_app_code=a&bk_app_secret=s3&bk_token=t0k&n=1')).toBe(
      'GET /c/compapi/x/?bk_app_code=a&bk_app_secret=***&bk_token=***&n=1',
    );
    expect(redact('BK_SIGNATURE=abc+/= next')).toBe('BK_SIGNATURE=*** next');
    expect(redact('{"bk_app_secret": "s\\"3", "x": "y", "access_token":"q"}')).toBe(
      '{"bk_app_secret": "***", "x": "y", "access_token":"***"}',
    );
    expect(redact('{"X-Bkapi-Authorization":"{\\"bk_app_secret\\":\\"s\\"}"}')).not.toContain('"s\\"');
  });
  it('leaves other text alone', () => {
    expect(redact('redis: connect ECONNREFUSED 127.0.0.1:6379')).toBe(
      'redis: connect ECONNREFUSED 127.0.0.1:6379',
    );
    expect(redact('please check bk_signature and the secret')).toBe(
      'please check bk_signature and the secret',
    );
  });
});
