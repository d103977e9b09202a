import { describe, expect, it } from 'vitest';
import { REDACTED, redact } from './redact';

const S = 's3cr3t-VALUE';

describe('redact', () => {
  it.each([
    [`GET /api/c/compapi/v2/cc/x/?bk_app_code=demo&bk_app_secret=${S}&bk_username=admin`],
    [`/login/?c_url=/app/&bk_token=${S}`],
    [`bk_signature=${S}&bk_nonce=1`],
    [`app_secret=${S}`],
    [`BK_APP_SECRET=${S}`],
    [`bk%5Fapp%5Fsecret=${S}`],
    [`/login/?c_url=%2Fx%3Fbk_token%3D${S}%26next%3D1`],
    [`{"bk_app_secret":"${S}","bk_app_code":"demo"}`],
    [`{"bk_token": "${S}"}`],
    [`{"msg":"{\\"bk_app_secret\\":\\"${S}\\"}"}`],
    [`{"x-app-token":"${S}"}`],
    [`error: GET http://10.0.0.1:8002/c/compapi/x/?bk_token=${S} failed`],
    [`password=${S}&username=admin`],
  ])('hides the secret in %s', (line) => {
    const out = redact(line);
    expect(out).not.toContain(S);
    expect(out).toContain(REDACTED);
  });

  it('keeps what is not a secret, and lines without secrets untouched', () => {
    expect(redact('bk_app_code=demo&bk_username=admin&bk_nonce=5')).toBe(
      'bk_app_code=demo&bk_username=admin&bk_nonce=5',
    );
    expect(redact(`bk_app_code=demo&bk_app_secret=${S}&bk_username=admin`)).toBe(
      'bk_app_code=demo&bk_app_secret=***&bk_username=admin',
    );
    expect(redact('{"p":"/v1/apps/demo/","s":200}')).toBe('{"p":"/v1/apps/demo/","s":200}');
    expect(redact(`{"bk_token":"${S}","s":200}`)).toBe('{"bk_token":"***","s":200}');
  });
});
