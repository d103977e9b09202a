import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sign, signedMessage } from './signature';

describe('signature', () => {
  it('signs METHOD + path + sorted query without the signature, POST adding data=<body>', () => {
    const q = { bk_timestamp: '100', bk_app_code: 'a', bk_signature: 'zzz', bk_nonce: '7' };
    expect(signedMessage('GET', '/api/c/compapi/v2/x/', q, 'ignored')).toBe(
      'GET/api/c/compapi/v2/x/?bk_app_code=a&bk_nonce=7&bk_timestamp=100',
    );
    expect(signedMessage('POST', '/p/', { z: '1', a: '2' }, '{"k":1}')).toBe('POST/p/?a=2&data={"k":1}&z=1');
  });
  it('is base64 HMAC-SHA1 with the app secret', () => {
    expect(sign('s3cret', 'GET/p/?a=1')).toBe(
      createHmac('sha1', 's3cret').update('GET/p/?a=1').digest('base64'),
    );
    expect(sign('s3cret', 'GET/p/?a=1')).not.toBe(sign('other', 'GET/p/?a=1'));
  });
});
