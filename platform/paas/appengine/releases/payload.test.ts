import { describe, expect, it } from 'vitest';
import { parseRelease } from './payload';

describe('release body', () => {
  it('accepts the paas payload and turns scalar values into strings', () => {
    const r = parseRelease({
      envs: { APP_ID: 'a', BKAPP_N: 3 },
      deploy_vars: { VCS_TYPE: 'git', VCS_PATH: '/r.git' },
      triggers: { is_use_celery: false },
    });
    expect(r).toEqual({
      envs: { APP_ID: 'a', BKAPP_N: '3' },
      deploy_vars: { VCS_TYPE: 'git', VCS_PATH: '/r.git' },
      deploy_token: '',
      saas_settings: {},
      is_saas: false,
      use_celery: false,
    });
  });
  it.each([
    [{ envs: [] }, 'envs: expected an object of strings'],
    [{ envs: { 'BAD-NAME': 'x' } }, 'envs: expected variable names like BKAPP_X, got "BAD-NAME"'],
    [{ envs: { A: null } }, 'envs.A: expected a string, got null'],
    [{ envs: { A: 'x'.repeat(1025) } }, 'envs.A: expected at most 1024 characters, got 1025'],
    [{ saas_settings: 'u' }, 'saas_settings: expected an object'],
  ])('refuses %j', (body, msg) => {
    expect(parseRelease(body as Record<string, unknown>)).toBe(msg);
  });
});
